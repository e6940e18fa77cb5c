// swift-tools-version:6.0
import PackageDescription

// Linux only: lampctl uses Glibc, /proc, flock, setpriv and Debian's PostgreSQL server programs.
let package = Package(
    name: "lampctl",
    products: [
        .executable(name: "lampctl", targets: ["lampctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibpq",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "Postgres", dependencies: ["CLibpq"]),
        .target(name: "LocalServer"),
        .target(name: "LampSession", dependencies: ["Postgres"]),
        .target(name: "LampApp", dependencies: ["LampSession", "Postgres"]),
        .target(name: "ScenarioModel", dependencies: ["LampApp", "LampSession", "Postgres"]),
        .target(
            name: "Scenario",
            dependencies: ["ScenarioModel", "LampApp", "LampSession", "Postgres"],
            resources: [.embedInCode("BuiltIn"), .embedInCode("Django/BuiltIn")]
        ),
        .target(name: "ScenarioRendering", dependencies: ["ScenarioModel", "LampApp", "LampSession", "Postgres"]),
        .target(name: "WireProtocol"),
        .target(name: "Watch", dependencies: ["WireProtocol", "Postgres", "ScenarioModel"]),
        .target(name: "LampctlKit", dependencies: ["Postgres", "LocalServer", "LampSession", "LampApp", "Scenario", "ScenarioRendering", "Watch"]),
        .executableTarget(
            name: "lampctl",
            dependencies: [
                "LampctlKit", "LocalServer", "LampApp", "LampSession", "Scenario", "Watch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "Bench", dependencies: ["Scenario", "LampApp", "LampSession", "Postgres", "LocalServer"]),
        .executableTarget(name: "lampctl-bench", dependencies: ["Bench"]),
        .target(name: "TestSupport", dependencies: ["Postgres", "LocalServer", "LampApp", "LampSession", "Scenario"], path: "Tests/TestSupport"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "LocalServerTests", dependencies: ["LocalServer", "TestSupport"]),
        .testTarget(name: "LampSessionTests", dependencies: ["LampSession", "LampApp", "Postgres", "TestSupport"]),
        .testTarget(name: "LampAppTests", dependencies: ["LampApp", "LampSession", "Postgres", "TestSupport"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "ScenarioModel", "ScenarioRendering", "LampApp", "LampSession", "Postgres", "TestSupport"]),
        .testTarget(name: "ScenarioRenderingTests", dependencies: ["ScenarioRendering", "ScenarioModel", "Scenario", "LampSession", "LampctlKit", "TestSupport"]),
        .testTarget(name: "LampctlKitTests", dependencies: ["LampctlKit", "Scenario", "ScenarioModel", "Postgres", "LampApp", "LampSession", "LocalServer", "TestSupport"]),
        .testTarget(name: "WatchTests", dependencies: ["Watch", "WireProtocol", "Postgres", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "LampApp", "Postgres", "Scenario", "ScenarioModel"]),
    ],
    swiftLanguageModes: [.v6]
)

// Every target: imports are internal unless a file says `public import`, and a member is
// visible only where its module is imported.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("InternalImportsByDefault"),
        .enableUpcomingFeature("MemberImportVisibility"),
    ]
}
