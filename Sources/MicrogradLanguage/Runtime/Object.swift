import Micrograd

/// Anything a name can be bound to, or an expression can produce.
public enum Object {
    /// Python's None: what a statement such as `L.backward()` gives.
    case none
    case bool(Bool)
    /// A whole number, kept whole as Python keeps ints: `len(xs)`, `range(3)`, `2 + 3`.
    case integer(Int)
    /// A plain number: `a.data`, `3.0` before it is assigned.
    case number(Double)
    case string(String)
    /// A node of the session's graph.
    case value(Value)
    case list(ListObject)
    case tuple(TupleObject)
    case set(SetObject)
    case dict(DictObject)
    case function(Function)
    case builtin(Builtin)
    /// A method with its object: `xs.append`, `v.backward`, `math.exp`.
    indirect case method(Object, String)
    case module(Module)
    /// A neuron, a layer or a whole network. (Boxed, as `method` is: unboxed, its payload
    /// would make every Object five words, and copying one a call into the runtime.)
    indirect case network(any Network)

    /// What kind of thing this is, for error messages: "a Value", "a list", …
    public var kindName: String {
        switch self {
        case .none: "None"
        case .bool: "a bool"
        case .number, .integer: "a number"
        case .value: "a Value"
        case .string: "a string"
        case .list: "a list"
        case .tuple: "a tuple"
        case .set: "a set"
        case .dict: "a dict"
        case .function(let f): "the function \(f.name)"
        case .builtin(let b): "the built-in \(b.rawValue)"
        case .method(_, let name): "the method \(name)"
        case .module(let m): "the module \(m.rawValue)"
        case .network(let n):
            switch n {
            case is MLP: "an MLP"
            case is Layer: "a Layer"
            default: "a Neuron"
            }
        }
    }

    /// What to add to "… takes a list, not {kindName}": a method not called is most
    /// often a list's maker written without its () (`n.parameters`).
    var notCalledHint: String {
        if case .method(_, let name) = self { return "; call it: .\(name)()" }
        return ""
    }

    /// Python's type name, as `type(x)` shows it.
    var typeName: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .integer: "int"
        case .number: "float"
        case .string: "str"
        case .value: "Value"
        case .list: "list"
        case .tuple: "tuple"
        case .set: "set"
        case .dict: "dict"
        case .function: "function"
        case .builtin, .method: "builtin_function_or_method"
        case .module: "module"
        case .network(let n):
            switch n {
            case is MLP: "MLP"
            case is Layer: "Layer"
            default: "Neuron"
            }
        }
    }
}

/// A list: Python's, shared by every name that refers to it (`b = a; b.append(1)` changes a).
public final class ListObject {
    // (Not checked for overlapping access at run time, as `Environment.values`: no code of
    // the learner's runs while it is being changed, and the check is a call into the
    // runtime on every read.)
    @exclusivity(unchecked) public internal(set) var items: [Object] {
        // (Not from `oldValue`: an observer that reads it makes `items.append(x)` copy
        // every item first, so that a loop of appends took time n².)
        didSet {
            budget?.count += items.count - counted
            counted = items.count
            repeatedFrom = 0  // (changed since it was made: no longer just a repetition)
        }
    }
    /// How many items the list this was repeated from had, when an int repeated a list of
    /// several (`ys*2`, as Python repeats it), until it is changed: adding a number to such
    /// a list item by item is then an error, as `ys*2 - 1` was surely meant to scale each
    /// item first. Else 0.
    var repeatedFrom = 0
    /// What this list is a copy of, when it was made by reading a network's parts (`n.layers`,
    /// a neuron's `w`) or a Value's inputs: changing it would not change those, so it
    /// cannot be changed (see `Interpreter.checkChangeable`). Nil for every other list.
    var copyOf: String?
    /// How many items the budget was last told of.
    private var counted: Int
    /// The session's count of list items, which this list adds to while it lives.
    private let budget: ItemBudget?

    init(_ items: [Object], budget: ItemBudget?) {
        self.items = items
        self.budget = budget
        counted = items.count
        budget?.count += items.count
    }

    deinit {
        // (A list with no container in it, as most are, is freed by Swift as it is, at no
        // depth: only its items are let go of; so is a list of such lists, one level down.)
        guard !Teardown.isShallow(items) else {
            budget?.count -= counted
            return
        }
        let nesting = Teardown.taking(&items)  // (the observer counts what it takes)
        budget?.count -= counted
        Teardown.release(nesting)
    }
}

/// A tuple: items that stay as they are. (A class, as a list is, so that a tuple of a tuple
/// of … millions deep is freed through `Teardown` wherever it is let go of, and a tuple
/// held in many places is one thing to walk.) It reads as the array of its items.
public final class TupleObject: RandomAccessCollection, ExpressibleByArrayLiteral {
    /// The items. (Changed only by the session, when it moves the nodes they refer to, and
    /// when the tuple is freed; so not checked for overlapping access, as ListObject.items.)
    @exclusivity(unchecked) var items: [Object]

    init(_ items: [Object]) { self.items = items }
    public convenience init(arrayLiteral items: Object...) { self.init(items) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { items.count }
    public subscript(i: Int) -> Object { items[i] }

    deinit {
        guard !Teardown.isShallow(items) else { return }
        Teardown.release(Teardown.taking(&items))
    }
}

/// Frees what a freed container held one level at a time. Left to Swift, a list of lists
/// of lists … is freed from inside the release of the one around it, a few calls deeper
/// for every level, and a few million levels (three lines of a script make them) run
/// off the end of the stack. Here a container that nothing else holds is emptied into a
/// list of work instead, and freed with nothing inside it.
enum Teardown {
    /// Those of `objects` whose freeing may free other containers, moved out of them;
    /// `objects` is left empty, and Swift frees the rest as usual.
    static func taking(_ objects: inout [Object]) -> [Object] {
        // (Emptied either way: xs.clear() on a list of numbers left it as it was.)
        guard objects.contains(where: nests) else {
            objects = []
            return []
        }
        let nesting = objects.filter(nests)
        objects = []
        return nesting
    }

    /// Frees `objects`, which the caller has let go of.
    static func dropAll(_ objects: consuming [Object]) {
        var objects = consume objects
        release(taking(&objects))
    }

    /// Frees `object`, which the caller has let go of.
    static func drop(_ object: consuming Object) {
        guard nests(object) else { return }
        var object = consume object
        var pending: [Object] = []
        takeApart(&object, into: &pending)
        release(consume pending)
    }

    /// Whether freeing `object` may free other containers: the cases `container` gives,
    /// and a bound method. (A switch of its own, not `container != nil`: that retains and
    /// releases the container just to ask.)
    @inline(__always)
    static func nests(_ object: Object) -> Bool {
        switch object {
        case .method, .list, .tuple, .set, .dict, .function: true
        default: false
        }
    }

    /// Whether Swift may free `items` as they are, at a depth of two at most: none of them
    /// holds a container, or each that does is a list or tuple whose own items hold none
    /// (a data set's rows, a list of pairs). Freeing those is two calls deep, not one a
    /// level, and taking them apart first was a tenth of the time a loop spent making them.
    /// (Looking inside costs at most four items for each of `items`, past which the answer
    /// is no: `[row] * 10**6` holds one long row a million times.)
    static func isShallow(_ items: [Object]) -> Bool {
        var left = 16 + 4 * items.count
        func flat(_ inner: [Object]) -> Bool {
            left -= inner.count
            return left >= 0 && !inner.contains(where: nests)
        }
        for item in items {
            switch item {
            case .list(let l): if !flat(l.items) { return false }
            case .tuple(let t): if !flat(t.items) { return false }
            case .method, .set, .dict, .function: return false
            default: continue
            }
        }
        return true
    }

    static func release(_ objects: consuming [Object]) {
        var pending = consume objects
        while var object = pending.popLast() { takeApart(&object, into: &pending) }
    }

    /// Moves what `object` holds to `pending` if nothing else holds `object` (so that it is
    /// freed empty when the caller lets go of it). A list or tuple with no container in it,
    /// or whose containers hold none (see `isShallow`), is left whole: Swift frees it at
    /// most two calls deep.
    private static func takeApart(_ object: inout Object, into pending: inout [Object]) {
        if case .method(let receiver, _) = object {
            pending.append(receiver)
            object = .none  // (the box that held the receiver too)
            return
        }
        // The container on its own, with the enum's reference to it dropped, so that it is
        // known to be unique when nothing else holds it. (Not by binding it in a `switch`
        // over the enum: the switch may hold a copy of the enum while the case runs.)
        var container = object.container
        object = .none
        guard container != nil, isKnownUniquelyReferenced(&container) else { return }
        switch container {
        case let list as ListObject:
            guard !isShallow(list.items) else { return }
            pending += list.items.filter(nests)
            list.items = []
        case let tuple as TupleObject:
            guard !isShallow(tuple.items) else { return }
            pending += tuple.items.filter(nests)
            tuple.items = []
        case let set as SetObject:
            pending += set.members.values.filter(nests)
            set.members = [:]
        case let dict as DictObject:
            for (key, value) in dict.entries.values { pending += [key, value].filter(nests) }
            dict.entries = [:]
        case let function as Function:
            pending += function.defaults.compactMap { $0 }.filter(nests)
            function.defaults = []
            // Its scope, if only it holds that (a function made by a call of another).
            guard var scope = function.takeClosure(), isKnownUniquelyReferenced(&scope) else { return }
            pending += scope.values.values.filter(nests)
            scope.values = [:]
        default:
            return
        }
    }
}

extension Object {
    /// The shared container this is, if it is one that can hold others.
    fileprivate var container: AnyObject? {
        switch self {
        case .list(let l): l
        case .tuple(let t): t
        case .set(let s): s
        case .dict(let d): d
        case .function(let f): f
        default: nil
        }
    }
}

/// How many list items a session holds in all, so a runaway `[range(10**7) for …]` stops
/// with a message instead of taking the machine's memory.
final class ItemBudget {
    @exclusivity(unchecked) var count = 0  // (as ListObject.items)
    var limit: Int
    /// What the errors add after the limit (see `Limits.memoryNote`).
    var note: String

    init(limit: Int, note: String = "") {
        self.limit = limit
        self.note = note
    }

    /// Throws if `more` items would go past the limit.
    func reserve(_ more: Int) throws(LanguageError) {
        guard count + more <= limit else {
            // (Already full before this statement, `parts = []` was told about the lists it
            // was making, not about those already held.)
            if count > limit {
                throw LanguageError(
                    "the session's lists, sets and dicts already hold \(count) items in all, the most they may hold\(note), so no new one can be made; del one you no longer need"
                )
            }
            throw LanguageError(
                "the session's lists would hold more than \(limit) items in all, the most they may hold\(note) (counting the lists this statement is making: list(range(n)) makes two, the range and its copy); make smaller lists, or del ones you no longer need"
            )
        }
    }

    /// Throws if sets and dicts, which count their members as they grow, have taken the
    /// session past the limit.
    func check() throws(LanguageError) {
        guard count <= limit else {
            throw LanguageError(
                "the session's lists, sets and dicts would hold more than \(limit) items in all, the most they may hold\(note); make smaller ones, or del those you no longer need"
            )
        }
    }
}

/// What makes a set's member or a dict's key the same as another, as Python's == does:
/// numbers by value (1 == 1.0 == True), strings by text, Values by identity.
enum HashKey: Hashable {
    case none
    case number(Double)
    case string(String)
    case value(Value)
    case tuple([HashKey])
    case identity(ObjectIdentifier)
    case builtin(String)
}

/// The keys of a set or dict in the order they were added, each removed in a step: a
/// removed key leaves a hole, and the holes are closed up once they are half the list.
/// (Removing by searching the list made a loop of `del d[k]` take time n².)
struct InsertionOrder: Sequence {
    private var keys: [HashKey?] = []
    private var slots: [HashKey: Int] = [:]

    var count: Int { slots.count }
    var isEmpty: Bool { slots.isEmpty }

    mutating func append(_ key: HashKey) {
        slots[key] = keys.count
        keys.append(key)
    }

    mutating func remove(_ key: HashKey) {
        guard let slot = slots.removeValue(forKey: key) else { return }
        keys[slot] = nil
        if keys.count > 32 && 2 * slots.count < keys.count {
            keys = keys.filter { $0 != nil }
            for (i, key) in keys.enumerated() { slots[key!] = i }
        }
    }

    mutating func removeAll() { (keys, slots) = ([], [:]) }

    func makeIterator() -> some IteratorProtocol<HashKey> { keys.lazy.compactMap { $0 }.makeIterator() }
}

/// A set, in the order its members were added (so it prints the same every time).
public final class SetObject {
    fileprivate(set) var members: [HashKey: Object] = [:] {
        didSet {  // (counted against the session's items, as a list's are)
            budget?.count += members.count - counted
            counted = members.count
        }
    }
    /// (Changed only with the members, by the methods below, so that the two agree.)
    private(set) var order = InsertionOrder()
    private var counted = 0
    private let budget: ItemBudget?

    init(budget: ItemBudget?) { self.budget = budget }

    var items: [Object] { order.map { members[$0]! } }

    func insert(_ key: HashKey, _ object: Object) {
        if members.updateValue(object, forKey: key) == nil { order.append(key) }
    }

    func remove(_ key: HashKey) -> Bool {
        guard members.removeValue(forKey: key) != nil else { return false }
        order.remove(key)
        return true
    }

    func removeAll() {
        members = [:]
        order.removeAll()
    }

    deinit {
        var items = Array(members.values)
        members = [:]  // (the observer counts what goes)
        Teardown.release(Teardown.taking(&items))
    }
}

/// A dict, in insertion order as Python's.
public final class DictObject {
    fileprivate(set) var entries: [HashKey: (key: Object, value: Object)] = [:] {
        didSet {  // (counted against the session's items, as a list's are)
            budget?.count += entries.count - counted
            counted = entries.count
        }
    }
    /// (Changed only with the entries, by the methods below, so that the two agree.)
    private(set) var order = InsertionOrder()
    private var counted = 0
    private let budget: ItemBudget?

    init(budget: ItemBudget?) { self.budget = budget }

    /// The entry for `hash`, taken out, if there is one.
    func remove(_ hash: HashKey) -> (key: Object, value: Object)? {
        guard let old = entries.removeValue(forKey: hash) else { return nil }
        order.remove(hash)
        return old
    }

    func removeAll() {
        entries = [:]
        order.removeAll()
    }

    func set(_ hash: HashKey, _ key: Object, _ value: Object) {
        guard case let (oldKey, oldValue)? = entries.updateValue((key, value), forKey: hash) else {
            order.append(hash)
            return
        }
        Teardown.dropAll([consume oldKey, consume oldValue])  // (see `Teardown`)
    }

    var pairs: [(key: Object, value: Object)] { order.map { entries[$0]! } }

    deinit {
        var items = entries.values.flatMap { [$0.key, $0.value] }
        entries = [:]  // (the observer counts what goes)
        Teardown.release(Teardown.taking(&items))
    }
}

/// A function the learner defined, with the default values of its parameters and the
/// scope it was defined in (which it sees when it runs: a closure).
public final class Function {
    let definition: FunctionDefinition
    var defaults: [Object?]
    private(set) var closure: Environment?

    init(_ definition: FunctionDefinition, defaults: [Object?], closure: Environment?) {
        self.definition = definition
        self.defaults = defaults
        self.closure = closure
    }

    public var name: String { definition.name }
    public var signature: String { definition.signature }

    /// The scope, handed over as the function is freed (see `Teardown`).
    fileprivate func takeClosure() -> Environment? {
        defer { closure = nil }
        return closure
    }
}

/// The names of one call of a function (or of a comprehension), and the scope around it.
final class Environment {
    /// (Read on every name an expression uses: the compiler's dynamic check that no one
    /// else is changing it at that moment costs more than the read, and is not needed as
    /// nothing holds a scope's names across a call.)
    @exclusivity(unchecked) var values: Bindings
    let parent: Environment?
    /// The function this is a call of (nil for a comprehension's own names).
    let definition: FunctionDefinition?
    /// Whether that function declares names `global` or `nonlocal` (looked at on every
    /// assignment, so worked out once).
    let declaresNames: Bool
    /// Whether this is a call's scope (not a comprehension's); and its function's
    /// `localLengths` (0 for a comprehension). Both are read on every lookup that passes
    /// through the scope, so they are kept here rather than read from `definition`.
    let isCall: Bool
    let localLengths: UInt64

    init(_ values: Bindings = [:], parent: Environment?, definition: FunctionDefinition?) {
        self.values = values
        self.parent = parent
        self.definition = definition
        declaresNames = definition.map { !$0.globals.isEmpty || !$0.nonlocals.isEmpty } ?? false
        localLengths = definition?.localLengths ?? 0
        isCall = definition != nil
    }

    /// Whether `name` is local to the call this scope is: assigned somewhere in its
    /// function, so that reading it before that is an error, not a read of the name outside
    /// (Python's UnboundLocalError). For a short ASCII name the length's bit is tested
    /// first, without hashing (a name in other letters can equal one of another length).
    @inline(__always)
    func isLocal(_ name: String) -> Bool {
        (!name.isShortASCII || localLengths & 1 << UInt64(name.utf8.count & 63) != 0) && definition!.locals.contains(name)
    }

    /// (A function that returns a closure over a function … is a chain through scopes.)
    deinit {
        var objects = values.values
        values = [:]
        Teardown.release(Teardown.taking(&objects))
    }

    /// The environment that holds `name`, searching outwards.
    func holder(of name: String) -> Environment? {
        var e: Environment? = self
        while let current = e {
            if current.values[name] != nil { return current }
            e = current.parent
        }
        return nil
    }
}

/// The modules `import` can bring in.
public enum Module: String, CaseIterable, Sendable {
    case math, random
}

extension Object {
    /// `values` as Objects, each moved rather than copied: a copy of a Value retains its
    /// graph, and the copied-from array then releases it, once for each of a network's
    /// parameters every time a training step asks for them.
    static func values(_ values: consuming [Value]) -> [Object] {
        var values = values
        var objects = [Object](repeating: .none, count: values.count)
        // (From the end, each taken off: `reverse()` afterwards would copy them.)
        var i = objects.count
        while let v = values.popLast() {
            i -= 1
            objects[i] = .value(v)
        }
        return objects
    }

    /// A number as itself, a Value as its data, a bool as 0 or 1; anything else unchanged.
    var plainNumber: Object {
        switch self {
        case .value(let v): .number(v.data)
        case .integer(let i): .number(Double(i))
        case .bool(let b): .number(b ? 1 : 0)
        default: self
        }
    }

    /// A plain number, if this is one (an int, a float or a bool; not a Value).
    var double: Double? {
        switch self {
        case .number(let x): x
        case .integer(let i): Double(i)
        case .bool(let b): b ? 1 : 0
        default: nil
        }
    }

    /// A whole number as an Int, exactly: an int as it is, a bool as 0 or 1, a float with no
    /// fraction in Int's range (-2**63 up to, not including, 2**63); nil for anything else.
    /// (Through a float, 2**53 + 1 became 2**53, and a bound of 9.2e18 refused 2**63 - 1.)
    var exactInteger: Int? {
        switch self {
        case .integer(let i): i
        case .bool(let b): b ? 1 : 0
        case .number(let x): x == x.rounded() && Double.fitsInt(x) ? Int(x) : nil
        default: nil
        }
    }

    var isValue: Bool {
        if case .value = self { return true }
        return false
    }

    /// A string's length in bytes (nil for anything else), asked without keeping a copy.
    var stringLength: Int? {
        if case .string(let s) = self { return s.utf8.count }
        return nil
    }

    var isInteger: Bool {
        if case .integer = self { return true }
        return false
    }

    var isBool: Bool {
        if case .bool = self { return true }
        return false
    }

    var isList: Bool {
        if case .list = self { return true }
        return false
    }

    var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    /// The first number in this object that is not finite: itself, or an item of a list
    /// or tuple, looking a few levels deep (so a list that holds itself ends the search),
    /// at each list or tuple once, and at no more than `items` items in all. (`[y] * 1000`,
    /// y a list of a million, went through y a thousand times; a million such lists, a
    /// million million items, deaf to Ctrl-C, for a warning.)
    func firstNotFinite(levels: Int = 3, items: Int = 1 << 20) -> Double? {
        var left = items
        var seen: [ObjectIdentifier: Int] = [:]
        return firstNotFinite(levels: levels, left: &left, seen: &seen)
    }

    /// (`seen`: the most levels each list or tuple has been looked into with; met again with
    /// more, it is looked into again, deeper.)
    private func firstNotFinite(levels: Int, left: inout Int, seen: inout [ObjectIdentifier: Int]) -> Double? {
        func firstVisit(_ id: ObjectIdentifier) -> Bool {
            guard levels > (seen[id] ?? 0) else { return false }
            seen[id] = levels
            return true
        }
        let items: [Object]
        switch self {
        case .number(let x): return x.isFinite ? nil : x
        case .value(let v): return v.data.isFinite ? nil : v.data
        case .list(let l) where levels > 0 && firstVisit(ObjectIdentifier(l)): items = l.items
        case .tuple(let t) where levels > 0 && firstVisit(ObjectIdentifier(t)): items = t.items
        default: return nil
        }
        for item in items {
            left -= 1
            guard left > 0 else { return nil }
            if let bad = item.firstNotFinite(levels: levels - 1, left: &left, seen: &seen) { return bad }
        }
        return nil
    }

    /// The items of a list or tuple.
    var sequence: [Object]? {
        switch self {
        case .list(let l): l.items
        case .tuple(let t): t.items
        default: nil
        }
    }
}

/// The names of one scope and what they are bound to.
///
/// Most scopes hold a handful of names (a call's parameters and locals, a comprehension's
/// variables), so they are kept in a short list searched in order: comparing a few short
/// names costs less than hashing one, and a lookup that passes through on its way out to
/// the globals pays only the comparisons. Past `listLimit` names a dictionary takes over,
/// so a scope with many names is as fast as before.
extension String {
    /// The two words a String is made of. Equal words are equal strings (the reverse need
    /// not hold: the same text can be kept in different ways), so comparing them is a
    /// quick first test for a string seen before.
    @inline(__always)
    var representationWords: (UInt64, UInt64) { unsafeBitCast(self, to: (UInt64, UInt64).self) }

    /// Whether the string is ASCII kept in its own two words (up to 15 letters, as most
    /// names are): then its words are its text, so two such strings are equal exactly
    /// when their words are. (The top four bits of the second word are 1110 for such a
    /// string; 1010 for a short one that is not ASCII; 0xxx or 1000 for one kept apart.)
    @inline(__always)
    var isShortASCII: Bool { representationWords.1 >> 60 == 0xE }

    /// Whether this is `name`, a short ASCII name written in the program (a method's, an
    /// attribute's): by their words alone when this is short ASCII too, as names in a
    /// notebook are. (String's == calls into the runtime for every pair that differs, and
    /// `x.relu()` asked that of a dozen names.)
    @inline(__always)
    func isSpelled(_ name: String) -> Bool {
        isShortASCII ? representationWords == name.representationWords : self == name
    }
}

extension [String] {
    /// Whether a name among these short ASCII names of the program's is `name` (see `isSpelled`).
    func containsName(_ name: String) -> Bool { contains { name.isSpelled($0) } }
}

struct Bindings: ExpressibleByDictionaryLiteral {
    private var names: [String] = []
    /// Each name's two words and UTF-8 length, to find it without a call into String.
    private var spellings: [Spelling] = []
    private var objects: [Object] = []
    private var table: [String: Object]?
    /// Whether every name in the list is short ASCII (see `String.isShortASCII`), as in
    /// most scopes: then a short ASCII name not found by its words is not here at all.
    private var allShortASCII = true
    static let listLimit = 16

    /// A name as found in the list: a String's own two words, its length in UTF-8, and
    /// whether it is ASCII. Two strings with the same words are the same string, so a
    /// lookup of a name spelled where it was bound (the usual case) is two comparisons of
    /// integers. Equal strings can have different words (one built another way), so a
    /// name not found by its words is compared, with String's ==, against the others
    /// that could equal it: for two ASCII names, only those of its length (and not even
    /// those when both are kept in their words); otherwise every one, as one letter can
    /// be written two ways (é, or e and an accent), of different lengths.
    private struct Spelling {
        let words: (UInt64, UInt64)
        let length: Int
        /// Whether it is kept in its two words, as ASCII (see `String.isShortASCII`).
        let isShortASCII: Bool
        let isASCII: Bool

        @inline(__always)
        init(_ name: String) {
            words = name.representationWords
            length = name.utf8.count
            isShortASCII = name.isShortASCII
            isASCII = isShortASCII || name.utf8.allSatisfy { $0 < 0x80 }
        }

        /// Whether a string with these words could equal one with `other`'s, words apart.
        @inline(__always)
        func couldEqual(_ other: Spelling) -> Bool {
            guard isASCII && other.isASCII else { return true }
            return length == other.length && !(isShortASCII && other.isShortASCII)
        }
    }

    init(dictionaryLiteral elements: (String, Object)...) {
        for (name, object) in elements { self[name] = object }
    }

    @inline(__always)
    private func index(of name: String) -> Int? {
        // (The words alone first: the rest of a spelling is work a name found by them, as
        // most are, does not need.)
        let words = name.representationWords
        for i in spellings.indices where spellings[i].words == words { return i }
        if allShortASCII && name.isShortASCII { return nil }  // (a built-in's name, say)
        let spelling = Spelling(name)
        for i in spellings.indices where spelling.couldEqual(spellings[i]) && names[i] == name { return i }
        return nil
    }

    subscript(name: String) -> Object? {
        @inline(__always) get {  // (inlined into the lookups, which run on every name read)
            if let table { return table[name] }
            return index(of: name).map { objects[$0] }
        }
        set {
            if let newValue { bind(name, to: newValue) } else { unbind(name) }
        }
    }

    /// Binds `name` to `object`, taken as it is given (the setter above, without the copy an
    /// optional new value costs: this runs on every assignment). (What a name let go of is
    /// freed through `Teardown`: it may be a tuple of a tuple of … a few million deep.)
    mutating func bind(_ name: String, to object: consuming Object) {
        if table != nil {
            if let old = table!.updateValue(object, forKey: name) { Teardown.drop(old) }
            return
        }
        if let i = index(of: name) {
            rebind(at: i, to: object)
            return
        }
        names.append(name)
        spellings.append(Spelling(name))
        allShortASCII = allShortASCII && name.isShortASCII
        objects.append(object)
        if names.count > Self.listLimit {
            table = Dictionary(uniqueKeysWithValues: zip(names, objects))
            names = []
            spellings = []
            objects = []
        }
    }

    /// Where `name` is bound, for binding it again by its place (`rebind(at:to:)`); nil if
    /// it is not bound here, or the names are kept in a table.
    func place(of name: String) -> Int? { table == nil ? index(of: name) : nil }

    /// Binds the name at `place` (from `place(of:)`, with no name added or taken away since)
    /// to `object`: a loop's name bound again each round without looking for it.
    mutating func rebind(at place: Int, to object: consuming Object) {
        var old = consume object
        swap(&old, &objects[place])
        if Teardown.nests(old) { Teardown.drop(consume old) }
    }

    /// `body` run on the object `name` is bound to, in place (nil if it is not bound here).
    mutating func modify<R>(_ name: String, _ body: (inout Object) -> R) -> R? {
        if table != nil {
            guard table![name] != nil else { return nil }
            return body(&table![name]!)
        }
        guard let i = index(of: name) else { return nil }
        return body(&objects[i])
    }

    private mutating func unbind(_ name: String) {
        if table != nil {
            if let old = table!.removeValue(forKey: name) { Teardown.drop(old) }
        } else if let i = index(of: name) {
            names.remove(at: i)
            spellings.remove(at: i)
            Teardown.drop(objects.remove(at: i))
        }
    }

    var keys: [String] { table.map { Array($0.keys) } ?? names }
    var values: [Object] { table.map { Array($0.values) } ?? objects }

    func mapValues(_ transform: (Object) throws -> Object) rethrows -> Bindings {
        var result = self
        if let table {
            result.table = try table.mapValues(transform)
        } else {
            result.objects = try objects.map(transform)
        }
        return result
    }
}
