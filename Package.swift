// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "micrograd",
    products: [
        .library(name: "Micrograd", targets: ["Micrograd"]),
        .executable(name: "micrograd", targets: ["micrograd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: - Engine and networks (no dependencies beyond the toolchain)

        .target(name: "Micrograd"),

        // MARK: - The notebook language and session (no terminal I/O)

        .target(name: "MicrogradLanguage", dependencies: ["Micrograd"]),

        // MARK: - Command line

        /// Everything the `micrograd` command does, as a library the tests can call.
        .target(
            name: "MicrogradCLI",
            dependencies: [
                "Micrograd",
                "MicrogradLanguage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        /// libedit, found with pkg-config; only the executable imports it.
        .systemLibrary(name: "CLibEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .executableTarget(
            name: "micrograd",
            dependencies: [
                "MicrogradCLI",
                "MicrogradLanguage",
                "CLibEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests

        .testTarget(name: "MicrogradTests", dependencies: ["Micrograd"]),
        .testTarget(name: "MicrogradLanguageTests", dependencies: ["MicrogradLanguage", "Micrograd"]),
        .testTarget(name: "MicrogradCLITests", dependencies: ["micrograd", "MicrogradCLI", "Micrograd"]),
    ]
)

// MARK: - Fuzz targets (only with MICROGRAD_FUZZ set: they link only under -sanitize=fuzzer)

if Context.environment["MICROGRAD_FUZZ"] != nil {
    package.targets.append(.executableTarget(name: "Fuzz", dependencies: ["MicrogradLanguage"], path: "Fuzz/Sources"))
}
