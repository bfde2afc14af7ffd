import ArgumentParser
import Micrograd
import MicrogradDemo
import MicrogradPlatform

public struct Bench: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Measure the engine: the moons training step, a fixed graph re-run, a deep chain.",
        discussion: """
            Build with `swift build -c release` first; debug builds are many times slower. \
            Compare with the C tape in ../shared/anchors run beside it: scripts/bench-compare does both.
            """
    )

    @Option(help: "Training steps per run (each run starts again from the bundled parameters).")
    var steps = 100

    @Option(help: "How many runs; memory is read after the first and after the last.")
    var runs = 10

    @Option(help: "Length of the deep chain x = x*1.0001 + 0.5.")
    var chain = 1_000_000

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    public func validate() throws {
        guard steps > 0, runs > 0, chain > 0 else { throw ValidationError("--steps, --runs and --chain must be positive") }
    }

    public func run() throws {
        let rebuilt = measureRebuilt()
        let replay = measureReplay()
        let deep = measureChain(chain)
        let figures: [(String, String)] = [
            ("ms_per_step", format(rebuilt.msPerStep)),
            ("nodes_per_step", "\(rebuilt.nodesPerStep)"),
            ("ns_per_node", format(rebuilt.msPerStep * 1e6 / Double(rebuilt.nodesPerStep))),
            ("peak_rss_mb", format(rebuilt.peakAfterAll)),
            ("peak_rss_mb_first_run", format(rebuilt.peakAfterFirst)),
            ("final_loss", rebuilt.finalLoss.pythonDescription),
            ("steps_timed", "\(steps * runs)"),
            ("replay_ms_per_step", format(replay)),
            ("chain_nodes", "\(4 * chain + 1)"),
            ("chain_ns_per_node", format(deep.nsPerNode)),
            ("chain_dx_dx0", deep.gradient.pythonDescription),
        ]
        if json {
            print("{" + figures.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
        } else {
            print(
                """
                moons, graph rebuilt every step (median of \(steps * runs) steps):
                  \(format(rebuilt.msPerStep)) ms/step, \(rebuilt.nodesPerStep) nodes/step, \
                \(format(rebuilt.msPerStep * 1e6 / Double(rebuilt.nodesPerStep))) ns/node
                  step-\(steps - 1) loss \(rebuilt.finalLoss.pythonDescription)
                  peak RSS \(format(rebuilt.peakAfterFirst)) MB after \(steps) steps, \
                \(format(rebuilt.peakAfterAll)) MB after \(steps * runs)
                moons, one fixed graph re-run forward and backward: \(format(replay)) ms/step
                deep chain, \(chain) steps (\(4 * chain + 1) nodes) built, differentiated, freed:
                  \(format(deep.nsPerNode)) ns/node, dx/dx0 = \(deep.gradient.pythonDescription)
                """)
        }
    }

    func format(_ x: Double) -> String {
        let scaled = (x * 1000).rounded() / 1000
        return scaled.pythonDescription
    }

    /// micrograd's loop: the whole graph recorded again every step.
    func measureRebuilt() -> (
        msPerStep: Double, nodesPerStep: Int, finalLoss: Double,
        peakAfterFirst: Double, peakAfterAll: Double
    ) {
        let demo = try! MoonsDemo(data: .moons100, initial: MoonsDemo.initialParameters)
        var times: [Double] = []
        var finalLoss = 0.0, peakAfterFirst = 0.0, nodes = 0
        let base = demo.model.graph.count
        for run in 0..<runs {
            try! demo.model.setParameters(MoonsDemo.initialParameters)
            var last = now()
            demo.train(steps: steps) { step in
                let t = now()
                times.append(t - last)
                last = t
                if run == 0 && step.step == steps - 1 { finalLoss = step.loss }
            }
            if run == 0 {
                peakAfterFirst = peakRSSMegabytes()
                let (loss, _) = demo.loss()
                nodes = demo.model.graph.count - base
                _ = loss
                demo.model.graph.truncate(to: base)
            }
        }
        return (median(times) * 1e3, nodes, finalLoss, peakAfterFirst, peakRSSMegabytes())
    }

    /// Training on one recorded graph: re-run its forward pass instead of recording anew.
    func measureReplay() -> Double {
        let demo = try! MoonsDemo(data: .moons100, initial: MoonsDemo.initialParameters)
        let (loss, _) = demo.loss()
        let params = demo.model.parameters()
        var times: [Double] = []
        for k in 0..<(steps * runs) {
            let t0 = now()
            loss.recompute()
            loss.zeroGrad()
            loss.backward()
            sgdStep(params, learningRate: MoonsDemo.learningRate(k % steps))
            times.append(now() - t0)
            if k % steps == steps - 1 { try! demo.model.setParameters(MoonsDemo.initialParameters) }
        }
        return median(times) * 1e3
    }

    /// x = x*1.0001 + 0.5, `k` times, backward, then the graph freed; a median of 5 runs.
    func measureChain(_ k: Int) -> (nsPerNode: Double, gradient: Double) {
        var times: [Double] = []
        var gradient = 0.0
        for _ in 0..<5 {
            let t0 = now()
            do {
                let graph = Graph(capacity: 4 * k + 1)
                let x0 = Value(1.0, in: graph)
                var x = x0
                for _ in 0..<k { x = x * 1.0001 + 0.5 }
                x.backward()
                gradient = x0.grad
            }
            times.append(now() - t0)
        }
        return (median(times) * 1e9 / Double(4 * k + 1), gradient)
    }
}

/// Seconds on the monotonic clock.
func now() -> Double {
    let elapsed = ContinuousClock().now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

private let start = ContinuousClock().now

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// The process's peak resident memory so far, in MB.
func peakRSSMegabytes() -> Double { Process.peakResidentMegabytes() }
