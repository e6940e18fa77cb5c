public enum _LampSessionPlaceholder {}
