// swift-tools-version: 6.0
import PackageDescription

// Release speed comes from the target CPU, which the Makefile passes (-Xswiftc -target-cpu ...).
// Bounds and overflow checks stay on everywhere (the parsers above all) except in DragonnKernels:
// the engine's pointer-loop kernels (convolutions, pooling, dense, ReLU, Adam, DeepLIFT's rules).
// They read no input, only buffers the engine allocates from a validated model shape, and the
// tests hold each one to a scalar reference. That is where the engine spends its time, so the
// checks there are what -Ounchecked saves (with haswell code: about 8% of ISM's and DeepLIFT's
// instructions; Conv1DCodes.forwardPaired alone, 28%); that target alone is built -Ounchecked.

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

// -parse-as-library: a tool's `@main` type may sit in main.swift beside other source files
// (SwiftPM adds the flag by itself only for a single-file target).
func tool(_ name: String) -> Target {
    .executableTarget(name: name, dependencies: ["DragonnCLI", "DragonnKit", argumentParser],
                      swiftSettings: [.unsafeFlags(["-parse-as-library"])])
}

let package = Package(
    name: "dragonn",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "DragonnKit", targets: ["DragonnKit"]),
        .executable(name: "dragonn-sim", targets: ["dragonn-sim"]),
        .executable(name: "dragonn-encode", targets: ["dragonn-encode"]),
        .executable(name: "dragonn-attrib", targets: ["dragonn-attrib"]),
        .executable(name: "dragonn-train", targets: ["dragonn-train"]),
        .executable(name: "dragonn-predict", targets: ["dragonn-predict"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CHTSlib",
            pkgConfig: "htslib",
            providers: [.apt(["libhts-dev", "zlib1g-dev"])]),
        // libdeflate for bigWig blocks (zlib streams, deflated much faster than by zlib itself).
        .systemLibrary(
            name: "CLibdeflate",
            providers: [.apt(["libdeflate-dev"])]),
        // The signal handler that removes a run's temporaries: C, so it stays async-signal-safe.
        .target(name: "CDragonnSignals"),
        // Two-vector shuffles for the kernels' register transposes (header-only; see its header).
        .target(name: "CDragonnSIMD"),
        // Hot numeric kernels over raw pointers: no parsing, no IO, no model types (see above).
        .target(
            name: "DragonnKernels",
            dependencies: ["CDragonnSIMD"],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(
            name: "DragonnKit",
            dependencies: ["CHTSlib", "CLibdeflate", "CDragonnSignals", "DragonnKernels"],
            resources: [.copy("Resources")]),
        // Option groups, error formatting and --version shared by the tools.
        .target(
            name: "DragonnCLI",
            dependencies: ["DragonnKit", argumentParser]),
        tool("dragonn-sim"),
        tool("dragonn-encode"),
        tool("dragonn-attrib"),
        tool("dragonn-train"),
        tool("dragonn-predict"),
        // libFuzzer harness over the parsers (scripts/fuzz.sh builds it with the fuzzer sanitizer).
        .executableTarget(name: "DragonnFuzz", dependencies: ["DragonnKit"]),
        // The library and tools are checked in Swift 6 mode (data races at compile time); the tests,
        // which share fixtures through statics, stay in Swift 5 mode.
        .testTarget(
            name: "DragonnKitTests",
            dependencies: ["DragonnKit", "DragonnKernels"],
            swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["DragonnKit"],
            swiftSettings: [.swiftLanguageMode(.v5)]),
    ],
    swiftLanguageModes: [.v6]
)
