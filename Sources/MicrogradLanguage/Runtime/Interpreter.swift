import Micrograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the interpreter needs from whoever runs it: somewhere to write, a way to warn, and
/// whether to stop.
protocol Console: AnyObject {
    func write(_ kind: OutputKind, _ text: String)
    /// A warning about `error.location` in `error.source` (or the text being run).
    func warn(_ error: LanguageError)
    /// What is checked between steps of long work; true stops it. (Asked for once, and
    /// kept: a check through the console cost a retain and a release, thousands of times
    /// in a training step.)
    var stopCheck: () -> Bool { get }
    /// The host's `memoryLeft`, kept as `stopCheck` is.
    var memoryCheck: () -> Int? { get }
    /// A round of a top-level loop ended: a safe moment to reclaim unreachable nodes.
    /// `roundStart` is where the round under way that most likely holds what is kept began.
    func loopRoundEnded(roundStart: Int)
    /// After a round of a loop inside a function (see `InnerLoop`): reclaims what the loop
    /// made that nothing reaches any more, and returns the graph's size to ask again at.
    func innerLoopRoundEnded(_ loop: inout InnerLoop, scope: Environment?) -> Int
}

/// A loop under way, as reclaiming sees it: the graph's size when it began (for a top-level
/// loop, when its statement began), where its round under way began (for the session's
/// top-level loop, the round the interpreter names; see `roundEnded`), what its last
/// reclaiming kept and found held, and the size at which to look again. Inside a function,
/// every Value the program can still use from `base` on is then reached from the loop's
/// scopes, the globals, what the session tracks, or the calls under way (`activeCalls`):
/// an expression waiting on a call holds only older nodes, which stay put.
struct InnerLoop {
    let base: Int
    /// Where the round under way began: what reclaiming will most likely keep is the block
    /// from there on (a training step's graph, which reads only itself and older nodes).
    var roundStart: Int
    var kept = 0
    /// How many nodes the last reclaiming found held (a measure of what it walked).
    var walked = 0
    var next: Int

    init(base: Int) {
        self.base = base
        roundStart = base
        next = base
    }
}

/// How much one session may take, so that a typo cannot eat the machine. Each limit's error
/// names it.
public struct Limits: Sendable {
    /// The most nodes one top-level statement may add to the graph (about 25 bytes each).
    public var nodesPerStatement = 20_000_000
    /// The most items all of a session's lists may hold at once.
    public var listItems = 20_000_000
    /// How deep user functions may call each other (Python's default is 1,000).
    public var callDepth = 1000
    /// How much stack evaluation may use before it stops with an error, at most: less is
    /// used when the thread has less (the program runs on a 512 MB stack; tests on small
    /// ones), keeping an eighth of what there is (at least 1 MB) for the rest.
    public var stackBytes = 400 << 20
    /// The most items one list (or `range`) may hold.
    public var listLength = 10_000_000
    /// The longest string.
    public var stringLength = 10_000_000
    /// Whether the limits on list items and on a statement's nodes were made smaller to fit
    /// the machine's memory: their errors then say so.
    public var fitToMemory = false

    public init() {}

    /// What a limit's error adds when the machine's memory set it.
    var memoryNote: String { fitToMemory ? " with this machine's memory" : "" }
}

#if os(Linux)
/// glibc's pthread_getattr_np (declared only under _GNU_SOURCE, so not seen by Swift): the
/// attributes of a running thread, its stack's place and size among them.
@_silgen_name("pthread_getattr_np")
private func threadAttributes(_ thread: pthread_t, _ attributes: UnsafeMutablePointer<pthread_attr_t>) -> Int32
#endif

/// Runs statements: the names the learner bound, the graph their Values live on, the
/// generator networks draw their weights from, and the limits. It knows nothing about
/// files, terminals, lessons or pictures.
final class Interpreter {
    /// The names bound at the top level (few, in most sessions: see `Bindings`).
    @exclusivity(unchecked) var globals: Bindings = [:]  // (as Environment.values)
    var graph = Graph()
    var seed: Int
    var generator: PythonRandom
    /// The parameters of every network made in this session (`:step` and `:train` move them).
    var modelParameters: Set<Int32> = []
    /// The root of the last `:grad` or `.backward()`, and the last name assigned.
    var lastRoot: Value?
    var lastAssigned: String?
    /// The names whose Value the notebook made from a float typed at the top level (`x =
    /// 2.0`), to say so where a plain number was wanted.
    var namesOfTypedFloats: Set<String> = []
    var limits: Limits {
        didSet { (budget.limit, budget.note) = (limits.listItems, limits.memoryNote) }
    }
    let budget: ItemBudget
    /// (Unchecked: the session that owns the interpreter is its console, and nothing else
    /// holds the interpreter. A checked `unowned` costs two calls into the runtime on each
    /// use, and `shouldStop` is read every round of every loop.)
    unowned(unsafe) let console: Console
    /// The console's `stopCheck`.
    private let shouldStop: () -> Bool
    /// The console's `memoryCheck`, and when to use it next (see `checkMemoryIfDue`).
    private let memoryCheck: () -> Int?
    private var nextMemoryCheck = ContinuousClock.now
    private var checksUntilClock = 0
    /// What `memoryCheck` said last time, and first in this statement.
    private var memoryLeftBefore = Int.max
    private var statementMemory: Int?
    /// How deep user functions are calling each other right now.
    var callDepth = 0
    /// The graph's size when the running top-level statement began.
    var statementStart = 0
    /// The end of a top-level loop's round tells the console once the graph is larger than
    /// this (the console sets it; 0 at the start of each statement).
    var loopCompactionPast = 0
    /// Where the round under way of each top-level loop began, outermost first.
    var topRoundStarts: [Int] = []
    /// A built-in's result that went past 64 bits (`sum`, `abs`), to warn of where the call
    /// is written: the call shows it with its line, which the built-in has no way to.
    var wideNumber: (message: String, location: SourceLocation)?
    /// The error that made the last `holds` false, if one did (for an exercise's "Not yet").
    var checkError: LanguageError?
    /// The address of a local in the outermost call, to measure the stack used from.
    var stackBase: UInt = 0
    /// The items of the loops under way at the top level, outermost first.
    @exclusivity(unchecked) var loopItems: [[Object]] = []  // (as ListObject.items)
    /// How many loops (`for` and `while`, at any depth) are under way.
    var loopDepth = 0
    /// How much stack evaluation may use below `stackBase`.
    var stackRoom = Interpreter.stackRoomUnknown
    /// The room taken where the system does not say where a thread's stack ends.
    static let stackRoomUnknown = 6 << 20
    /// The thread the interpreter last ran on, and the bottom of its stack.
    private var threadStack: (thread: pthread_t, bottom: UInt?)?
    /// Set by `exit()` and `quit()`.
    var wantsToQuit = false
    /// The status `exit(n)` asked for (`exit('why')` is 1, as in Python).
    var exitStatus: Int32 = 0
    /// The learner's own operations: their `_backward` functions, and the calls that made them.
    var learner = LearnerNodes()
    /// The calls of the learner's functions under way, outermost first: each one's scope and
    /// arguments. A loop inside a call reclaims the nodes made since it began; a caller may
    /// hold such nodes in a list that the call filled and then let go of (its scope is not
    /// around the call's), or in an argument held nowhere else: these are roots too, and are
    /// moved with the rest.
    var activeCalls: [(scope: Environment, arguments: Arguments)] = []
    /// While a learner node's call runs again: the leaves its first run made, for `Value(x)`
    /// to hand back (see `Producer.madeLeaves`).
    /// (Read for every `Value(x)`: unchecked for overlapping access, as nothing holds it
    /// across a call.)
    @exclusivity(unchecked) var leavesToReplay: [(leaf: Value, data: Double, offset: Int)]?
    /// Where in the graph that run began.
    var replayMark = 0
    /// The leaves handed back so far (`:check` asks whether a leaf was).
    var replayedLeaves: Set<Value> = []
    /// What `print(…, end='')` wrote that has not ended its line yet.
    private var pendingOutput = ""

    init(seed: Int, limits: Limits, console: Console) {
        self.seed = seed
        self.limits = limits
        generator = PythonRandom(seed: seed)
        budget = ItemBudget(limit: limits.listItems, note: limits.memoryNote)
        self.console = console
        shouldStop = console.stopCheck
        memoryCheck = console.memoryCheck
    }

    deinit {
        // The names' objects, freed through `Teardown` (see `Bindings`).
        var objects = globals.values
        globals = [:]
        Teardown.release(Teardown.taking(&objects))
    }

    /// Writes printed text: each whole line as it is finished, the rest when the next line
    /// ends or the statement does.
    func write(_ text: String) {
        var lines = (pendingOutput + text).split(separator: "\n", omittingEmptySubsequences: false)
        pendingOutput = String(lines.removeLast())
        for line in lines { console.write(.result, String(line)) }
    }

    /// Ends a line that `print(…, end='')` left open.
    func flushOutput() {
        guard !pendingOutput.isEmpty else { return }
        console.write(.result, pendingOutput)
        pendingOutput = ""
    }

    /// A new list, counted against the session's budget.
    func list(_ items: [Object]) throws(LanguageError) -> Object {
        try budget.reserve(items.count)
        return .list(ListObject(items, budget: budget))
    }

    // MARK: Running a top-level statement

    /// Runs one top-level statement of `source`. A simple statement that fails changes
    /// nothing: the nodes it made are dropped, unless something already holds them.
    func run(_ statement: Statement, in source: Source) throws(LanguageError) {
        let mark = graph.count
        statementStart = mark
        loopCompactionPast = 0
        topRoundStarts = []
        wideNumber = nil  // (one left by a call that then failed)
        markStackBase()
        let context = Context(environment: nil, source: source)
        do throws(LanguageError) {
            if graph.room < Self.graphHeadroom { try makeGraphRoom() }
            try checkMemoryIfDue(statementStarts: true)
            switch statement.kind {
            case .expression(let e):
                let result = try evaluate(e, context)
                if case .method(_, let name) = result, case .attribute = e.kind {
                    throw LanguageError("\(name) is a method; call it: .\(name)()", at: e.location)
                }
                warnIfNotFinite(result, of: e, at: e.location, in: source)
                if case .none = result { return }
                if statement.isSilenced { return }
                flushOutput()
                globals["_"] = result
                console.write(.result, result.echo)
            default:
                switch try execute(statement, context) {
                case .normal: break
                case .breaking, .continuing:
                    throw LanguageError("'break' and 'continue' belong inside a loop", at: statement.location)
                case .returning:
                    throw LanguageError("'return' belongs inside a function (def)", at: statement.location)
                }
            }
        } catch {
            switch statement.kind {
            case .for, .while, .if, .function: break  // earlier rounds of a loop may have kept nodes
            default: dropNodes(from: mark)  // (only loops reclaim nodes during a statement)
            }
            giveBackRoomIfShort()
            // An error that knows no place of its own (a limit of the session's) is at the
            // statement, so that it is shown with its line.
            if error.location == nil && error != .interrupted { throw LanguageError(error.message, at: statement.location) }
            throw error
        }
    }

    /// Whether `e` is true, evaluated as a lesson's check: nothing is shown or kept, and an
    /// error (a name not defined yet, say) counts as false.
    func holds(_ e: Expr, in source: Source) -> Bool {
        let mark = graph.count
        statementStart = mark
        markStackBase()
        // (An exit() the check reaches, in a function of the learner's, stops the check, not
        // the session: it said the check stopped with an error, and then ended.)
        let quitting = (wantsToQuit, exitStatus)
        defer {
            dropNodes(from: mark)
            giveBackRoomIfShort()
            (wantsToQuit, exitStatus) = quitting
        }
        checkError = nil
        do throws(LanguageError) {
            return try truth(evaluate(e, Context(environment: nil, source: source)), at: e.location)
        } catch {
            checkError = error
            return false
        }
    }

    /// After a statement (or a check) that ran out of memory and was undone: the memory the
    /// graph asked for ahead, and what the statement's nodes took, back to the system, as
    /// what comes next (an error's message, a smaller statement) needs some.
    private func giveBackRoomIfShort() {
        guard ranOutOfMemory else { return }
        ranOutOfMemory = false
        graph.releaseRoom(keeping: Self.graphHeadroom)
    }

    /// Forgets the nodes made from `mark` on, unless something already holds one of them.
    private func dropNodes(from mark: Int) {
        guard graph.count > mark, !holdsNodes(from: mark) else { return }
        graph.truncate(to: mark)
        learner.forget(from: mark)
        // A network made by the failed statement is gone too: its ids will be reused by new
        // nodes, which must not be taken for parameters.
        modelParameters = modelParameters.filter { Int($0) < mark }
    }

    /// Called between steps of long work: stops it on Ctrl-C, or when one statement has
    /// recorded more nodes than memory should hold.
    func checkInterrupt() throws(LanguageError) {
        if shouldStop() { throw LanguageError.interrupted }
        checksUntilClock &-= 1
        if checksUntilClock <= 0 { try checkMemoryIfDue() }
        if graph.room < Self.graphHeadroom { try makeGraphRoom() }
        if budget.count > budget.limit { try budget.check() }  // (the test inline: this runs every round)
        if graph.count - statementStart > limits.nodesPerStatement {
            throw LanguageError(
                "this statement made more than \(limits.nodesPerStatement) nodes that are still in use, the most one statement may keep\(limits.memoryNote); keep fewer graphs (a list that keeps every step's loss keeps every step's graph), split the work up, or train on a fixed graph with :train"
            )
        }
    }

    /// Stops the statement with an error while the memory the program may still take is
    /// short of `memoryMargin` and the statement is taking more: most of what a statement
    /// makes (strings, tuples, sets, a network's passes) cannot ask first, and an
    /// allocation that fails stops the program. (Only while this statement takes more:
    /// memory given back stays the program's to use again, but not always the system's,
    /// and a statement that takes none must run.) The clock is read as each statement
    /// starts and at every 16th check; the memory is asked about (a few files the system
    /// keeps) when the clock says, the sooner the less is left: as often as taking memory
    /// at 32 GB/s could use it up, at least every 50 ms and at most every half millisecond.
    @inline(never)
    func checkMemoryIfDue(statementStarts: Bool = false) throws(LanguageError) {
        checksUntilClock = 16
        if statementStarts { statementMemory = nil }
        let now = ContinuousClock.now
        guard now >= nextMemoryCheck else { return }
        guard let left = memoryCheck() else {
            nextMemoryCheck = now.advanced(by: .milliseconds(50))
            return
        }
        nextMemoryCheck = now.advanced(by: .nanoseconds(min(50_000_000, max(500_000, left / 32))))
        let fell = left < memoryLeftBefore - (1 << 20)
        memoryLeftBefore = left
        guard let start = statementMemory else {
            statementMemory = left
            // (Short statements that each take a little, `s1 = 'a'*10**6` and on, take it
            // between two readings: refused once less than half the margin is left.)
            guard fell, left < Self.memoryMargin / 2 else { return }
            memoryIsShort = true
            throw outOfMemory(left)
        }
        guard left < Self.memoryMargin, left < start - (1 << 20) else { return }
        memoryIsShort = true
        throw outOfMemory(left)
    }

    /// Before a list, set or dict of many items grows its storage (to twice its size, in
    /// one allocation that cannot fail softly): whether the memory for it is there, and
    /// the margin after it. (A dict of a million entries asked for 75 MB at once.)
    @inline(__always)
    func checkRoomToGrow(to count: Int, capacity: Int, itemBytes: Int) throws(LanguageError) {
        guard count > capacity, count > 1 << 16 else { return }
        try checkRoom(forBytes: 2 * count * itemBytes)
    }

    @inline(never)
    private func checkRoom(forBytes bytes: Int) throws(LanguageError) {
        guard let left = memoryCheck(), left < bytes + Self.memoryMargin else { return }
        memoryIsShort = true
        throw outOfMemory(left)
    }

    private func outOfMemory(_ left: Int) -> LanguageError {
        LanguageError(
            "out of memory: the program is within \(max(0, left) >> 20) MB of all it may take on this machine, so this statement stopped (what it had done stays done, as with any error). Keep fewer or smaller things (del what you no longer need), or split the work up"
        )
    }

    /// How close to its memory's end the program may come (see `checkMemoryIfDue`).
    static let memoryMargin = 64 << 20

    /// The room for nodes the graph keeps ahead of what a statement records between two
    /// `checkInterrupt`s (a network's forward pass, 4,096 terms of a sum).
    static let graphHeadroom = 1 << 16

    /// Set when the graph could not grow, until the statement has failed.
    var ranOutOfMemory = false
    /// Set when the graph could not grow, until a compaction has halved it: until then the
    /// session compacts after every statement (the learner may have let go of a graph).
    var memoryIsShort = false

    /// The most parameters a network may have.
    static let networkParameterLimit = 1_000_000

    /// Grows the graph ahead of need (room for `nodes` more, and the headroom), or stops
    /// the statement with an error if the memory for that cannot be had: growing it when a
    /// node is recorded would stop the program.
    func makeGraphRoom(for nodes: Int = 0) throws(LanguageError) {
        guard !graph.makeRoom(for: nodes + Self.graphHeadroom) else { return }
        ranOutOfMemory = true  // (`run` gives back the graph's spare room once the statement is undone)
        memoryIsShort = true
        throw LanguageError(
            "out of memory: the graph (\(graph.count) nodes) cannot grow any more on this machine; keep fewer graphs (a list that keeps every step's loss keeps every step's graph), split the work up, or del what you no longer need"
        )
    }

    /// Notes where the stack is as a top-level statement (or command) starts, and how much
    /// of the thread's stack below it evaluation may use.
    @inline(never)
    func markStackBase() {
        var base = 0
        stackBase = withUnsafeMutablePointer(to: &base) { UInt(bitPattern: $0) }
        // Asking for the thread's stack is a system call: once per thread is enough.
        let thread = pthread_self()
        if threadStack?.thread != thread { threadStack = (thread, Self.stackBottom()) }
        let bottom = threadStack!.bottom
        let room = bottom.map { stackBase > $0 ? Int(stackBase - $0) : 0 }
        // (A margin for what runs below the check; never below 0, so a thread with almost
        // no stack left gets "too deep" rather than a trap.)
        stackRoom = min(limits.stackBytes, room.map { max(0, $0 - max(1 << 20, $0 / 8)) } ?? Self.stackRoomUnknown)
    }

    /// The lowest address of this thread's stack, if the system says.
    static func stackBottom() -> UInt? {
        #if os(Linux)
        var attributes = pthread_attr_t()
        guard threadAttributes(pthread_self(), &attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        var low: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attributes, &low, &size) == 0, let low else { return nil }
        return UInt(bitPattern: low)
        #else
        return nil
        #endif
    }

    /// Throws if evaluation has used more stack than it may: going through nested
    /// containers (`nesting`), or calls.
    func checkStack(at location: SourceLocation, nesting: Bool = false) throws(LanguageError) {
        var here = 0
        let address = withUnsafeMutablePointer(to: &here) { UInt(bitPattern: $0) }
        if stackBase > address, stackBase - address > UInt(stackRoom) {
            throw LanguageError(
                nesting
                    ? "these lists (or dicts) nest too deep to go through: does one hold itself, as after xs.append(xs)? Python stops here too"
                    : "this goes too deep for the stack: a function calling itself (or a build_topo) on a very deep graph? :topo lists a graph's order without recursion",
                at: location)
        }
    }

    /// Warns when `result` is, or holds in its first `levels` levels of lists and tuples,
    /// a number that is not finite; unless `expression` asked for one by name, as in
    /// `best = float('inf')` (Python's way to start a running minimum) or `-math.inf`.
    func warnIfNotFinite(
        _ result: Object, of expression: Expr, at location: SourceLocation, in source: Source, levels: Int = 3
    ) {
        guard let first = result.firstNotFinite(levels: levels), !Self.asksForNonFinite(expression) else { return }
        let what =
            first.isNaN
            ? "nan (not a number: 0/0, log of a negative, a fractional power of a negative…)"
            : "\(first.pythonDescription) (past the largest float, about 1.8e308; or a division by zero, or the log of 0)"
        console.warn(LanguageError("the result is \(what)", at: location, in: source))
    }

    private static func asksForNonFinite(_ e: Expr) -> Bool {
        switch e.kind {
        case .unary(_, let inner): return asksForNonFinite(inner)
        case .call(let callee, let args):
            guard case .name("float") = callee.kind, args.count == 1, case .string(let text) = args[0].value.kind else { return false }
            let word = text.trimmingCharacters.lowercased().drop { $0 == "+" || $0 == "-" }
            return ["inf", "infinity", "nan"].contains(word)
        case .attribute(let base, let name):
            guard case .name("math") = base.kind else { return false }
            return name == "inf" || name == "nan"
        default: return false
        }
    }

    // MARK: What the session holds

    /// Whether anything a name can reach (or the last root) refers to a node made at
    /// `mark` or later.
    func holdsNodes(from mark: Int) -> Bool {
        if let r = lastRoot, Int(r.id) >= mark { return true }
        var found = false
        var walker = ObjectWalker { id in if Int(id) >= mark { found = true } }
        for object in globals.values { walker.walk(object) }
        return found
    }

    /// Calls `visit` with every node from `from` on that names, functions, lists and
    /// networks refer to; returns how many references to nodes it met, those below `from`
    /// too.
    @discardableResult
    func forEachNode(from: Int32 = 0, _ visit: @escaping (Int32) -> Void) -> Int {
        var walker = ObjectWalker(visit: visit)
        walker.from = from
        walker.visitsNetworks = false  // (their parameters are all in `modelParameters`, below)
        for object in globals.values { walker.walk(object) }
        for items in loopItems { for object in items { walker.walk(object) } }
        for id in modelParameters where id >= from { visit(id) }
        return walker.met + modelParameters.count
    }
}

/// Where a statement runs: the names of the function call it is in (nil at the top level)
/// and the text it came from.
struct Context {
    let environment: Environment?
    let source: Source

    var isTopLevel: Bool { environment == nil }
}

/// What a statement did to the flow of its block.
enum Flow {
    case normal, breaking, continuing
    case returning(Object)
}

/// Walks everything an object refers to, once each, calling `visit` with every node. (From
/// a list of work, not by recursion: a list of lists … can be millions deep.)
struct ObjectWalker {
    let visit: (Int32) -> Void
    /// Nodes below this are met but not visited. (A reclaim from a loop's first node keeps
    /// those anyway; a call for each of a network's parameters was most of its walk.)
    var from: Int32 = 0
    /// How many references to nodes the walk met, visited or not.
    private(set) var met = 0
    /// Whether a network's parameters are visited (not where they are visited anyway).
    var visitsNetworks = true
    /// Containers met. (Tuples too: tuples inside tuples can share parts, and `t = (t, t)`
    /// sixty times over has 2⁶⁰ paths but 60 tuples.)
    private var seen: Set<ObjectIdentifier> = []
    private var pending: [Object] = []

    init(visit: @escaping (Int32) -> Void) { self.visit = visit }

    mutating func walk(_ object: Object) {
        pending.append(object)
        while let next = pending.popLast() { step(next) }
    }

    /// Every name of `scope` and of the scopes around it.
    mutating func walk(scope: Environment?) {
        queueNames(from: scope)
        while let next = pending.popLast() { step(next) }
    }

    /// The names of `scope` and the scopes around it, queued (each scope once).
    private mutating func queueNames(from scope: Environment?) {
        var e = scope
        while let environment = e, seen.insert(ObjectIdentifier(environment)).inserted {
            pending += environment.values.values
            e = environment.parent
        }
    }

    private mutating func step(_ object: Object) {
        switch object {
        case .value(let v):
            met += 1
            if v.id >= from { visit(v.id) }
        case .list(let l):
            guard seen.insert(ObjectIdentifier(l)).inserted else { return }
            pending += l.items
        case .tuple(let t):
            guard seen.insert(ObjectIdentifier(t)).inserted else { return }
            pending += t.items
        case .set(let s):
            guard seen.insert(ObjectIdentifier(s)).inserted else { return }
            pending += s.items
        case .dict(let d):
            guard seen.insert(ObjectIdentifier(d)).inserted else { return }
            for (k, v) in d.pairs { pending += [k, v] }
        case .function(let f):
            guard seen.insert(ObjectIdentifier(f)).inserted else { return }
            for d in f.defaults { if let d { pending.append(d) } }
            queueNames(from: f.closure)
        case .method(let receiver, _): pending.append(receiver)
        case .network(let n):
            guard visitsNetworks else { return }
            let parameters = n.parameters()
            met += parameters.count
            for p in parameters where p.id >= from { visit(p.id) }
        case .none, .bool, .integer, .number, .string, .builtin, .module: break
        }
    }
}
