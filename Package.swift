// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "micrograd",
    products: [
        .library(name: "Micrograd", targets: ["Micrograd"]),
        .library(name: "MicrogradDemo", targets: ["MicrogradDemo"]),
        .executable(name: "micrograd", targets: ["micrograd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // For `swift package generate-documentation --target Micrograd` (Sources/Micrograd/Micrograd.docc).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // MARK: - Engine and networks (no dependencies beyond the toolchain)

        .target(name: "Micrograd"),
        /// micrograd's two-moons demo: its data and starting weights (Data/, built in), and
        /// readers for its files' text.
        .target(name: "MicrogradDemo", dependencies: ["Micrograd"], plugins: ["EmbedFiles"]),

        // MARK: - The notebook language and session (no I/O: everything goes through a Host)

        /// The lessons (Lessons/*.md) are built in, so the REPL has them wherever it runs.
        ///
        /// A session and everything it holds belong to one thread: the command runs it on one,
        /// and nothing else in the program touches its objects. So the release build counts
        /// their references without atomic instructions, the fast path of a notebook loop
        /// (about a tenth of its time: `micrograd bench --notebook-only`). The debug build,
        /// which the tests run with sessions on several threads at once, keeps them atomic.
        /// (The engine, a library for any program, keeps them atomic in both.)
        .target(
            name: "MicrogradLanguage", dependencies: ["Micrograd", "MicrogradDemo"],
            swiftSettings: [.unsafeFlags(["-Xfrontend", "-assume-single-threaded"], .when(configuration: .release))],
            plugins: ["EmbedFiles"]),

        // MARK: - Files built into the program

        .executableTarget(name: "EmbedTool"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["EmbedTool"]),

        // MARK: - The operating system: files, signals, the terminal, other programs

        /// Signal handlers and spawning, in one C file (so there is one copy of each flag).
        .target(name: "CMicrogradPlatform"),
        .target(
            name: "MicrogradPlatform",
            dependencies: ["CMicrogradPlatform", .product(name: "SystemPackage", package: "swift-system")]
        ),

        // MARK: - Command line

        /// Everything the `micrograd` command does, as a library the tests can call.
        .target(
            name: "MicrogradCLI",
            dependencies: [
                "Micrograd",
                "MicrogradDemo",
                "MicrogradLanguage",
                "MicrogradPlatform",
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
                "MicrogradPlatform",
                "CLibEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests

        .testTarget(name: "MicrogradTests", dependencies: ["Micrograd", "MicrogradDemo"]),
        .testTarget(name: "MicrogradLanguageTests", dependencies: ["MicrogradLanguage", "Micrograd", "MicrogradCLI", "MicrogradPlatform"]),
        .testTarget(name: "MicrogradCLITests", dependencies: ["micrograd", "MicrogradCLI", "Micrograd", "MicrogradPlatform"]),
    ]
)

// MARK: - Fuzz targets (only with MICROGRAD_FUZZ set: they link only under -sanitize=fuzzer)

if Context.environment["MICROGRAD_FUZZ"] != nil {
    package.targets.append(.executableTarget(name: "Fuzz", dependencies: ["MicrogradLanguage"], path: "Fuzz/Sources"))
}
