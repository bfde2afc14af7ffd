#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The nodes of a graph: parallel buffers indexed by node, in creation order.
@usableFromInline
struct Tape {
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int
    @usableFromInline var data: UnsafeMutablePointer<Double>
    @usableFromInline var grad: UnsafeMutablePointer<Double>
    @usableFromInline var ops: UnsafeMutablePointer<Op>
    /// The first input of each node, or -1.
    @usableFromInline var lhs: UnsafeMutablePointer<Int32>
    /// The second input, or -1.
    @usableFromInline var rhs: UnsafeMutablePointer<Int32>
    /// The generation each node was recorded in: a slot truncated and used again gets a
    /// new one, so a handle to the old node can tell.
    @usableFromInline var generations: UnsafeMutablePointer<UInt32>
    /// The generation new nodes are recorded in (one more after every truncation).
    @usableFromInline var generation: UInt32 = 0
    /// Scratch space for the sweeps that find which nodes a root depends on: one byte a
    /// node, cleared over the range swept. (The walks' stamps below need no clearing, but a
    /// sweep over millions of nodes reads four times the memory through them: it measured
    /// 24 against 36 ns a node on the deep chain, so each pass keeps its own.)
    @usableFromInline var seen: UnsafeMutablePointer<Bool>
    /// For the walks from a root: a node was reached in this walk when its stamp is the
    /// walk's epoch, so no walk has to clear anything first. (Every walk takes a new epoch,
    /// so a slot used again keeps whatever stamp it had: it cannot be the new walk's.)
    @usableFromInline var stamps: UnsafeMutablePointer<UInt32>
    @usableFromInline var epoch: UInt32 = 0
    /// Whether some node's local derivative may be infinite (or NaN): a node whose slopes
    /// follow its output got an output that is not a number, a node of an op with
    /// unbounded slopes was recorded, or a number that is not finite was set by hand
    /// (see `Op.Slopes`). Until then, a backward pass may pass over a node whose grad is 0,
    /// as its contribution (a finite slope times 0) changes nothing; after, it may not
    /// (micrograd would add infinity times 0, a NaN). Once set it stays set.
    @usableFromInline var slopesMayBeInfinite = false

    init(capacity: Int) {
        self.capacity = capacity
        data = Tape.buffer(capacity)
        grad = Tape.buffer(capacity)
        ops = Tape.buffer(capacity)
        lhs = Tape.buffer(capacity)
        rhs = Tape.buffer(capacity)
        generations = Tape.buffer(capacity)
        seen = Tape.buffer(capacity)
        stamps = Tape.zeroedStamps(capacity)
    }

    /// Room for `capacity` nodes' worth of one of the plain types above, from `malloc`, so
    /// that growing it is a `realloc`: for a large buffer the system moves the pages to
    /// their new place rather than copying them (a notebook loop's graph doubles up to
    /// half a million nodes in its first rounds; see `resize`).
    static func buffer<T>(_ capacity: Int) -> UnsafeMutablePointer<T> {
        guard let raw = malloc(capacity * MemoryLayout<T>.stride) else {
            fatalError("out of memory for a graph of \(capacity) nodes")
        }
        return raw.bindMemory(to: T.self, capacity: capacity)
    }

    /// Stamps for `capacity` nodes, all 0. They come from `calloc`, whose pages are zero
    /// until first touched, so a graph that is never walked never writes them.
    static func zeroedStamps(_ capacity: Int) -> UnsafeMutablePointer<UInt32> {
        guard let raw = calloc(capacity, MemoryLayout<UInt32>.stride) else {
            fatalError("out of memory for a graph of \(capacity) nodes")
        }
        return raw.bindMemory(to: UInt32.self, capacity: capacity)
    }

    func deallocate() {
        free(data)
        free(grad)
        free(ops)
        free(lhs)
        free(rhs)
        free(generations)
        free(seen)
        free(stamps)
    }

    /// Appends a node and returns its index. Its grad starts at 0.
    @inlinable @inline(__always)
    mutating func record(_ op: Op, _ value: Double, _ a: Int32, _ b: Int32) -> Int32 {
        if count == capacity { grow() }
        var recorder = Recorder(self)
        let i = recorder.record(op, value, a, b)
        count = recorder.count
        switch op.slopes {  // (decided when the op is known where this is inlined)
        case .finite: break
        case .finiteIfOutputIs: if !value.isFinite { slopesMayBeInfinite = true }
        case .unbounded: slopesMayBeInfinite = true
        }
        return i
    }

    /// A node applying a one- or two-input `op` to nodes `a` and `b`.
    @inlinable @inline(__always)
    mutating func apply(_ op: Op, _ a: Int32, _ b: Int32 = -1) -> Int32 {
        let y = b < 0 ? 0 : data[Int(b)]
        return record(op, op.forward(data[Int(a)], y), a, b)
    }

    /// A node applying a two-input `op` to node `a` and a new leaf holding `x`, which is
    /// recorded first (micrograd's `Value(other)`, then the operation).
    @inlinable @inline(__always)
    mutating func apply(_ op: Op, _ a: Int32, constant x: Double) -> Int32 {
        let b = record(.leaf, x, -1, -1)
        return record(op, op.forward(data[Int(a)], x), a, b)
    }

    /// Adds node `i`'s contribution to its inputs' grads: `input.grad += local · grad`.
    /// (A custom node's step is not the tape's to take; the graph takes it.)
    @inline(__always)
    func propagate(_ i: Int, exponents: [Int32: Double]) {
        let g = grad[i]
        let op = ops[i]
        switch op {
        case .leaf, .custom: return
        case .add:
            grad[Int(lhs[i])] += g
            grad[Int(rhs[i])] += g
        case .mul:
            let a = Int(lhs[i]), b = Int(rhs[i])
            grad[a] += data[b] * g
            grad[b] += data[a] * g
        case .pow:
            let a = Int(lhs[i])
            grad[a] += op.localDerivatives(data[a], exponents[Int32(i)]!, out: data[i]).dx * g
        default:
            let a = Int(lhs[i])
            grad[a] += op.localDerivatives(data[a], 0, out: data[i]).dx * g
        }
    }

    /// Moves the data, grads and ops of nodes `from..<from + count` down to `to` (which
    /// may overlap them) and gives the moved nodes `generation`. Their inputs are the
    /// caller's to renumber, and move with them if `withInputs` (renumbered already).
    func moveDown(from: Int, to: Int, count: Int, generation: UInt32, withInputs: Bool = false) {
        guard from != to else {
            (generations + to).update(repeating: generation, count: count)
            return
        }
        func move<T>(_ p: UnsafeMutablePointer<T>) {
            memmove(p + to, p + from, count * MemoryLayout<T>.stride)
        }
        move(data)
        move(grad)
        move(ops)
        if withInputs {
            move(lhs)
            move(rhs)
        }
        (generations + to).update(repeating: generation, count: count)
    }

    @inline(__always)
    func markInputs(of i: Int) {
        let a = lhs[i], b = rhs[i]
        if a >= 0 { seen[Int(a)] = true }
        if b >= 0 { seen[Int(b)] = true }
    }

    /// A recorder for `n` more nodes: the tape grows first if it must, so its buffers
    /// stay where they are while the recorder writes them. Store its `count` back with
    /// `finish(_:)`.
    mutating func recorder(reserving n: Int) -> Recorder {
        while count + n > capacity { grow() }
        return Recorder(self)
    }

    /// Takes back the nodes `recorder` wrote.
    mutating func finish(_ recorder: Recorder) { count = recorder.count }

    /// `grow()`, unless memory for it cannot be had: then the tape is as it was and the
    /// answer is false.
    mutating func tryGrow() -> Bool {
        guard capacity < Int(Int32.max) else { return false }
        return resize(to: Swift.min(capacity * 2, Int(Int32.max)))
    }

    /// Room for `nodes` nodes in all (no more than asked), unless memory for it cannot be
    /// had: then the tape is as it was and the answer is false.
    mutating func tryReserve(_ nodes: Int) -> Bool { nodes <= capacity || resize(to: nodes) }

    /// Gives back the room past `nodes` (at least `count`), as far as the buffers allow.
    mutating func shrink(toFit nodes: Int) {
        let target = Swift.max(nodes, count, 16)
        if target < capacity { _ = resize(to: target) }
    }

    /// Makes every buffer `new` nodes long, or, if the memory cannot be had, leaves every
    /// buffer as it was and returns false.
    private mutating func resize(to new: Int) -> Bool {
        let old = capacity
        func resize(_ k: Int, to count: Int) -> Bool {
            switch k {
            case 0: Tape.reallocate(&data, count)
            case 1: Tape.reallocate(&grad, count)
            case 2: Tape.reallocate(&ops, count)
            case 3: Tape.reallocate(&lhs, count)
            case 4: Tape.reallocate(&rhs, count)
            case 5: Tape.reallocate(&generations, count)
            default: Tape.reallocate(&seen, count)
            }
        }
        for k in 0..<7 where !resize(k, to: new) {
            for done in 0..<k { _ = resize(done, to: old) }  // (back as they were)
            return false
        }
        guard let raw = calloc(new, MemoryLayout<UInt32>.stride) else {
            for done in 0..<7 { _ = resize(done, to: old) }
            return false
        }
        // (The old stamps are not copied: every walk takes a new epoch, so none is read
        // again, and copying them touched a page of new memory for every thousand nodes,
        // each a fault, at every doubling of a growing graph.)
        free(self.stamps)
        stamps = raw.bindMemory(to: UInt32.self, capacity: new)
        capacity = new
        return true
    }

    /// `buffer` made `count` items long by `realloc`; false (and `buffer` as it was) if
    /// the memory cannot be had.
    private static func reallocate<T>(_ buffer: inout UnsafeMutablePointer<T>, _ count: Int) -> Bool {
        guard let raw = realloc(buffer, count * MemoryLayout<T>.stride) else { return false }
        buffer = raw.bindMemory(to: T.self, capacity: count)
        return true
    }

    @usableFromInline
    mutating func grow() {
        precondition(capacity < Int(Int32.max), "a graph holds at most \(Int32.max) nodes")
        guard tryGrow() else { fatalError("out of memory for a graph of \(Swift.min(capacity * 2, Int(Int32.max))) nodes") }
    }
}

/// Records nodes on a tape that already has room for them (see `Tape.recorder`): the fast
/// path of a neuron's weighted sum. With the buffers in locals rather than read through
/// the tape after every store, the compiler keeps them in registers.
@usableFromInline
struct Recorder {
    @usableFromInline let data: UnsafeMutablePointer<Double>
    @usableFromInline let grad: UnsafeMutablePointer<Double>
    @usableFromInline let ops: UnsafeMutablePointer<Op>
    @usableFromInline let lhs: UnsafeMutablePointer<Int32>
    @usableFromInline let rhs: UnsafeMutablePointer<Int32>
    @usableFromInline let generations: UnsafeMutablePointer<UInt32>
    @usableFromInline let generation: UInt32
    @usableFromInline var count: Int

    /// A recorder writing at the end of `tape`, which must have room for what it writes.
    @inlinable @inline(__always)
    init(_ tape: Tape) {
        data = tape.data
        grad = tape.grad
        ops = tape.ops
        lhs = tape.lhs
        rhs = tape.rhs
        generations = tape.generations
        generation = tape.generation
        count = tape.count
    }

    /// Appends a node and returns its index. Its grad starts at 0. (Slopes are the
    /// caller's to check: see `Tape.record`.)
    @inlinable @inline(__always)
    mutating func record(_ op: Op, _ value: Double, _ a: Int32, _ b: Int32) -> Int32 {
        let i = count
        data[i] = value
        grad[i] = 0
        ops[i] = op
        lhs[i] = a
        rhs[i] = b
        generations[i] = generation
        count = i &+ 1
        return Int32(truncatingIfNeeded: i)
    }
}

extension UnsafeMutablePointer where Pointee == Bool {
    /// The highest index in `low...i` whose flag is set, or `low - 1` if none.
    ///
    /// After eight clear flags in a row it steps over clear ones eight at a time, and
    /// thirty-two at a time where it can: the nodes of finished training steps, which no
    /// root reaches any more, lie in one long run (in a notebook loop, the rounds not yet
    /// reclaimed, a few hundred thousand). (It reads a flag at a time until then: a sweep
    /// has just set flags close below, and reading eight at once across a byte just
    /// written would wait for the write.)
    @usableFromInline @inline(__always)
    func lastSet(atOrBelow i: Int, downTo low: Int) -> Int {
        var i = i
        var clear = 0
        while i >= low {
            if clear >= 8, i &- 31 >= low {
                let p = UnsafeRawPointer(self + (i &- 31))
                let words =
                    p.loadUnaligned(as: UInt64.self) | p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    | p.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                if words == 0 {
                    i &-= 32
                    continue
                }
            }
            if clear >= 8, i &- 7 >= low, UnsafeRawPointer(self + (i &- 7)).loadUnaligned(as: UInt64.self) == 0 {
                i &-= 8
            } else if self[i] {
                return i
            } else {
                clear &+= 1
                i &-= 1
            }
        }
        return low - 1
    }

    /// The lowest index in `i..<high` whose flag is clear, or `high` if none; eight flags
    /// at a time across a run of set ones (call it once the flags have all been written).
    @usableFromInline @inline(__always)
    func firstClear(atOrAbove i: Int, below high: Int) -> Int {
        var i = i
        while i < high {
            if i &+ 8 <= high, UnsafeRawPointer(self + i).loadUnaligned(as: UInt64.self) == 0x0101_0101_0101_0101 {
                i &+= 8
            } else if !self[i] {
                return i
            } else {
                i &+= 1
            }
        }
        return high
    }

    /// The lowest index in `i..<high` whose flag is set, or `high` if none (as `lastSet`).
    @usableFromInline @inline(__always)
    func firstSet(atOrAbove i: Int, below high: Int) -> Int {
        var i = i
        var clear = 0
        while i < high {
            if clear >= 8, i &+ 8 <= high, UnsafeRawPointer(self + i).loadUnaligned(as: UInt64.self) == 0 {
                i &+= 8
            } else if self[i] {
                return i
            } else {
                clear &+= 1
                i &+= 1
            }
        }
        return high
    }
}
