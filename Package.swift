// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "lampctl",
    platforms: [.macOS(.v13)],
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
        .target(
            name: "Scenario",
            dependencies: ["LampApp", "LampSession", "Postgres"],
            resources: [.embedInCode("BuiltIn")]
        ),
        .target(name: "ScenarioRendering", dependencies: ["Scenario", "LampSession", "Postgres"]),
        .target(name: "LampctlKit", dependencies: ["Postgres", "LocalServer", "LampSession", "LampApp", "Scenario", "ScenarioRendering"]),
        .executableTarget(
            name: "lampctl",
            dependencies: [
                "LampctlKit", "Postgres", "LocalServer", "LampSession", "LampApp", "Scenario",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "Bench", dependencies: ["Scenario", "LampApp", "LampSession", "Postgres", "LocalServer"]),
        .executableTarget(name: "lampctl-bench", dependencies: ["Bench"]),
        .target(name: "TestSupport", dependencies: ["Postgres", "LocalServer", "LampApp", "LampSession", "Scenario"], path: "Tests/TestSupport"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "LocalServerTests", dependencies: ["LocalServer", "TestSupport"]),
        .testTarget(name: "LampSessionTests", dependencies: ["LampSession", "LampApp", "TestSupport"]),
        .testTarget(name: "LampAppTests", dependencies: ["LampApp", "TestSupport"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "ScenarioRendering", "TestSupport"]),
        .testTarget(name: "ScenarioRenderingTests", dependencies: ["ScenarioRendering", "Scenario", "LampSession", "LampctlKit", "TestSupport"]),
        .testTarget(name: "LampctlKitTests", dependencies: ["LampctlKit", "Scenario", "Postgres", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
