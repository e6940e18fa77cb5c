/// lampctl's version: `--version`, reports and JUnit properties.
public enum LampctlVersion {
    public static let current = "0.1.0"
}
