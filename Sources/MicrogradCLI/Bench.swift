import ArgumentParser
import Micrograd
import MicrogradDemo
import MicrogradLanguage
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

    @Option(
        help:
            "Steps of the moons loop typed as one notebook statement (and of the demo it is compared with): micrograd's demo trains for 100."
    )
    var notebookSteps = 100

    @Option(help: "Nodes the big session holds for the one-line case.")
    var bigSession = 1_000_000

    @Flag(help: "Only the notebook cases (the loop, and a line in a big session).")
    var notebookOnly = false

    @Option(help: "Print the notebook moons loop for this many steps (for `micrograd run`), and stop.")
    var printNotebookLoop: Int?

    public func validate() throws {
        guard steps > 0, runs > 0, chain > 0, notebookSteps > 0, bigSession >= 0 else {
            throw ValidationError("--steps, --runs, --chain and --notebook-steps must be positive, --big-session not negative")
        }
        // (The chain is built twice at once, a reused graph and a fresh one, about 300 bytes
        // a step in all; --chain 1000000000 stopped the program, past a graph's 2**31 nodes.)
        let most = min(Int(Int32.max) / 4 - 1, (Process.memoryAvailable() ?? .max) / 300)
        guard chain <= most else {
            throw ValidationError(
                "--chain \(chain) is more than this machine can build: at most \(most) steps (each takes about 300 bytes, built twice)")
        }
    }

    public func run() throws {
        Signals.restoreDefaults()  // (nothing here asks whether to stop: Ctrl-C ends it)
        if let steps = printNotebookLoop {
            print(Self.moonsSetup + "\n" + Self.moonsLoop.replacing("STEPS", with: "\(steps)"))
            return
        }
        if notebookOnly {
            let figures = notebookFigures(measureNotebookLoop(steps: notebookSteps), measureLine(holding: bigSession))
            print(
                json
                    ? "{" + figures.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
                    : figures.map { "\($0.0) \($0.1)" }.joined(separator: "\n"))
            return
        }
        // The library first (its peak memory is read as it goes), then the notebook.
        let rebuilt = measureRebuilt()
        let replay = measureReplay()
        let deep = measureChain(chain, reusing: false)
        let reused = measureChain(chain, reusing: true)
        let loop = measureNotebookLoop(steps: notebookSteps)
        let line = measureLine(holding: bigSession)
        let figures: [(String, String)] =
            [
                ("ms_per_step", format(rebuilt.msPerStep)),
                ("nodes_per_step", "\(rebuilt.nodesPerStep)"),
                ("ns_per_node", format(rebuilt.msPerStep * 1e6 / Double(rebuilt.nodesPerStep))),
                ("peak_rss_mb", format(rebuilt.peakAfterAll)),
                ("peak_rss_mb_first_run", format(rebuilt.peakAfterFirst)),
                ("final_loss", rebuilt.finalLoss.pythonDescription),
                ("steps_timed", "\(steps * runs)"),
                ("replay_ms_per_step", format(replay)),
                ("chain_nodes", "\(4 * chain + 1)"),
                ("chain_ns_per_node", format(deep.total)),
                ("chain_reused_ns_per_node", format(reused.total)),
                ("chain_reused_forward_ns_per_node", format(reused.forward)),
                ("chain_reused_backward_ns_per_node", format(reused.backward)),
                ("chain_dx_dx0", deep.gradient.pythonDescription),
            ] + notebookFigures(loop, line)
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
                  \(format(deep.total)) ns/node in a new graph each time, \(format(reused.total)) ns/node reusing one \
                (as the C tape does; forward \(format(reused.forward)), backward \(format(reused.backward))), dx/dx0 = \(deep.gradient.pythonDescription)
                notebook: the moons loop typed as one for statement, graph rebuilt every step:
                  \(format(loop.msPerStep)) ms/step (mean of \(notebookSteps)), \(format(loop.msPerStep / loop.demoMsPerStep))× \
                micrograd's demo measured the same way (\(format(loop.demoMsPerStep)) ms/step); step-\(notebookSteps - 1) loss \(loop.loss)
                notebook: L = (a*b + c)*f and :grad L, in a session holding \(bigSession) nodes vs an empty one:
                  \(format(line.big)) ms vs \(format(line.empty)) ms, \(format(line.big / line.empty))×
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

    func notebookFigures(
        _ loop: (msPerStep: Double, demoMsPerStep: Double, loss: String), _ line: (big: Double, empty: Double)
    )
        -> [(String, String)]
    {
        [
            ("notebook_loop_ms_per_step", format(loop.msPerStep)),
            ("notebook_loop_demo_ms_per_step", format(loop.demoMsPerStep)),
            ("notebook_loop_ratio", format(loop.msPerStep / loop.demoMsPerStep)),
            ("notebook_loop_last_loss", loop.loss),
            ("big_session_line_ms", format(line.big)),
            ("empty_session_line_ms", format(line.empty)),
            ("big_session_line_ratio", format(line.big / line.empty)),
        ]
    }

    /// The moons training as a learner types it in the notebook (micrograd's demo loop, one
    /// `for` statement), against the library's demo timed the same way: the mean per step
    /// over the whole run, graph building, backward and update included.
    func measureNotebookLoop(steps: Int) -> (msPerStep: Double, demoMsPerStep: Double, loss: String) {
        let host = InMemoryHost()
        let session = Session(host: host)
        session.run(Self.moonsSetup, file: "<bench>")
        let t0 = now()
        session.run(Self.moonsLoop.replacing("STEPS", with: "\(steps)"), file: "<bench>")
        let notebook = (now() - t0) / Double(steps)
        let loss = host.written([.result]).last ?? "?"
        let demo = try! MoonsDemo(data: .moons100, initial: MoonsDemo.initialParameters)
        let t1 = now()
        demo.train(steps: steps) { _ in }
        let library = (now() - t1) / Double(steps)
        return (notebook * 1e3, library * 1e3, loss)
    }

    static let moonsSetup = """
        X, y = moons()
        model = MLP(2, [16, 16, 1], activation='relu', output='linear')
        for p, v in zip(model.parameters(), moons_init()):
            p.data = v

        def loss():
            inputs = [list(map(Value, xrow)) for xrow in X]
            scores = list(map(model, inputs))
            losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(y, scores)]
            data_loss = sum(losses) * (1.0 / len(losses))
            alpha = 1e-4
            reg_loss = alpha * sum((p*p for p in model.parameters()))
            total_loss = data_loss + reg_loss
            accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
            return total_loss, sum(accuracy) / len(accuracy)
        """

    static let moonsLoop = """
        for k in range(STEPS):
            total_loss, acc = loss()
            model.zero_grad()
            total_loss.backward()
            learning_rate = 1.0 - 0.9*(k % 100)/100
            for p in model.parameters():
                p.data -= learning_rate * p.grad
        total_loss.data
        """

    /// The tutorial's first expression and `:grad`, typed in a session that already holds
    /// `nodes` nodes (a list of Values), against the same in an empty session: medians of
    /// 200 runs each, in milliseconds.
    func measureLine(holding nodes: Int) -> (big: Double, empty: Double) {
        func time(_ session: Session) -> Double {
            var times: [Double] = []
            for _ in 0..<200 {
                let t0 = now()
                session.run("a = 2.0; b = -3.0; c = 10.0; f = -2.0; L = (a*b + c)*f", file: "<bench>")
                session.run(":grad L", file: "<bench>")
                times.append(now() - t0)
            }
            return median(times) * 1e3
        }
        let big = Session(host: InMemoryHost())
        big.run("held = [Value(float(k)) for k in range(\(nodes))]", file: "<bench>")
        let empty = Session(host: InMemoryHost())
        return (time(big), time(empty))
    }

    /// x = x*1.0001 + 0.5, `k` times, then backward: medians of 5 runs in ns a node (the
    /// whole, and its forward and backward parts, as the C tape reports them), and dx/dx0.
    /// Each run makes a new graph and frees it, or (`reusing`) truncates one graph to
    /// nothing first, as the C tape reuses its buffer: no page faults for fresh memory.
    func measureChain(
        _ k: Int, reusing: Bool
    ) -> (total: Double, forward: Double, backward: Double, gradient: Double) {
        var times: [Double] = [], forwards: [Double] = [], backwards: [Double] = []
        var gradient = 0.0
        let reused = reusing ? Graph(capacity: 4 * k + 1) : nil
        for _ in 0..<5 {
            let t0 = now()
            var t1 = t0, t2 = t0
            do {
                let graph = reused ?? Graph(capacity: 4 * k + 1)
                graph.truncate(to: 0)
                let x0 = Value(1.0, in: graph)
                var x = x0
                for _ in 0..<k { x = x * 1.0001 + 0.5 }
                t1 = now()
                x.backward()
                t2 = now()
                gradient = x0.grad
            }
            times.append(now() - t0)  // (a new graph's freeing included)
            forwards.append(t1 - t0)
            backwards.append(t2 - t1)
        }
        let perNode = 1e9 / Double(4 * k + 1)
        return (median(times) * perNode, median(forwards) * perNode, median(backwards) * perNode, gradient)
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
