/// Arithmetic on Values, built the way micrograd builds it.
///
/// A number on either side becomes a leaf of its own (as micrograd's `Value(other)`), and
/// `-`, unary `-` and `/` are made of `+`, `*` and `**`:
///
/// ```
/// a - b  =  a + b · (-1)        -a  =  a · (-1)
/// a / b  =  a · b⁻¹             k / a  =  a⁻¹ · k
/// ```
///
/// Following micrograd's operations in micrograd's order is what makes the numbers agree
/// with it to the last bit.
extension Value {
    // The operators below are the fast path of recording: each inlines into its caller as
    // a check that the operands' nodes are still there, a few stores into the tape, and a
    // handle to the new node. A number operand goes straight into the tape as a leaf, with
    // no handle of its own; that is still micrograd's order (the leaf, then the node).

    /// A node on this Value's graph applying `op` to `self` and `other`.
    @inlinable @inline(__always)
    func combined(_ op: Op, with other: Value) -> Value {
        precondition(
            graph === other.graph,
            "these two Values live on different graphs; make both on the same Graph")
        return Value(recordedOn: graph, graph.apply(op, node, other.node))
    }

    /// A node on this Value's graph applying `op` to `self` and a new leaf holding `x`.
    @inlinable @inline(__always)
    func combined(_ op: Op, withConstant x: Double) -> Value {
        Value(recordedOn: graph, graph.apply(op, node, constant: x))
    }

    /// A node applying a one-input function (`tanh`, `exp`, `log`, `relu`, `sigmoid`) to `self`.
    public func applying(_ op: Op) -> Value {
        precondition(op.arity == 1 && op != .pow, "applying(_:) takes a one-input function; use pow(_:) for powers")
        return Value(recordedOn: graph, graph.apply(op, node))
    }

    // MARK: +

    @inlinable @inline(__always) public static func + (lhs: Value, rhs: Value) -> Value { lhs.combined(.add, with: rhs) }
    @inlinable @inline(__always) public static func + (lhs: Value, rhs: Double) -> Value { lhs.combined(.add, withConstant: rhs) }
    @inlinable @inline(__always) public static func + (lhs: Double, rhs: Value) -> Value { rhs.combined(.add, withConstant: lhs) }

    // MARK: *

    @inlinable @inline(__always) public static func * (lhs: Value, rhs: Value) -> Value { lhs.combined(.mul, with: rhs) }
    @inlinable @inline(__always) public static func * (lhs: Value, rhs: Double) -> Value { lhs.combined(.mul, withConstant: rhs) }
    @inlinable @inline(__always) public static func * (lhs: Double, rhs: Value) -> Value { rhs.combined(.mul, withConstant: lhs) }

    // MARK: - (as + and · -1)

    @inlinable @inline(__always) public static prefix func - (operand: Value) -> Value { operand * -1 }
    @inlinable @inline(__always) public static func - (lhs: Value, rhs: Value) -> Value { lhs + (-rhs) }
    @inlinable @inline(__always) public static func - (lhs: Value, rhs: Double) -> Value { lhs + (-rhs) }
    @inlinable @inline(__always) public static func - (lhs: Double, rhs: Value) -> Value { lhs + (-rhs) }

    // MARK: / (as · and ** -1)

    @inlinable @inline(__always) public static func / (lhs: Value, rhs: Value) -> Value { lhs * rhs.pow(-1) }
    @inlinable @inline(__always) public static func / (lhs: Value, rhs: Double) -> Value { lhs * libm_pow(rhs, -1) }
    @inlinable @inline(__always) public static func / (lhs: Double, rhs: Value) -> Value { lhs * rhs.pow(-1) }

    // MARK: Compound assignment (a new node, as in Python: `a += b` is `a = a + b`)

    @inlinable @inline(__always) public static func += (lhs: inout Value, rhs: Value) { lhs = lhs + rhs }
    @inlinable @inline(__always) public static func += (lhs: inout Value, rhs: Double) { lhs = lhs + rhs }
    @inlinable @inline(__always) public static func -= (lhs: inout Value, rhs: Value) { lhs = lhs - rhs }
    @inlinable @inline(__always) public static func -= (lhs: inout Value, rhs: Double) { lhs = lhs - rhs }
    @inlinable @inline(__always) public static func *= (lhs: inout Value, rhs: Value) { lhs = lhs * rhs }
    @inlinable @inline(__always) public static func *= (lhs: inout Value, rhs: Double) { lhs = lhs * rhs }
    @inlinable @inline(__always) public static func /= (lhs: inout Value, rhs: Value) { lhs = lhs / rhs }
    @inlinable @inline(__always) public static func /= (lhs: inout Value, rhs: Double) { lhs = lhs / rhs }
}

// MARK: - Functions

extension Value {
    /// `self` raised to a constant power (micrograd's `**`): `x.pow(2)`.
    public func pow(_ exponent: Double) -> Value {
        Value(recordedOn: graph, graph.power(node, exponent))
    }

    /// The hyperbolic tangent; exactly ±1 for large inputs, never NaN for a finite one.
    public func tanh() -> Value { applying(.tanh) }

    /// e raised to `self`.
    public func exp() -> Value { applying(.exp) }

    /// The natural logarithm (-inf at 0, NaN below, as IEEE says).
    public func log() -> Value { applying(.log) }

    /// max(0, self), micrograd's ReLU.
    public func relu() -> Value { applying(.relu) }

    /// The logistic function 1 / (1 + e⁻ˣ).
    public func sigmoid() -> Value { applying(.sigmoid) }
}

/// Power with a constant exponent, Python's `**` spelled as Swift can: `pow(x, 2)`.
public func pow(_ base: Value, _ exponent: Double) -> Value { base.pow(exponent) }

/// The hyperbolic tangent of a Value.
public func tanh(_ x: Value) -> Value { x.tanh() }

/// e raised to a Value.
public func exp(_ x: Value) -> Value { x.exp() }

/// The natural logarithm of a Value.
public func log(_ x: Value) -> Value { x.log() }

/// max(0, x) of a Value.
public func relu(_ x: Value) -> Value { x.relu() }

/// The logistic function of a Value.
public func sigmoid(_ x: Value) -> Value { x.sigmoid() }

extension Value {
    /// Python's `sum(values)`: `0 + v₀ + v₁ + …`, where the first step records `v₀ + 0`
    /// as micrograd does. An empty list gives a new leaf 0 on `graph` (the current graph if
    /// none is given).
    @inlinable @inline(__always) public static func sum(_ values: [Value], in graph: Graph? = nil) -> Value {
        guard let first = values.first else { return Value(0, in: graph ?? .current) }
        var total = first + 0
        for v in values.dropFirst() { total = total + v }
        return total
    }
}
