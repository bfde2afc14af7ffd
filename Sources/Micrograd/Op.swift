#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The operation that produced a node of a graph.
///
/// Subtraction, negation and division are not ops of their own: like micrograd, they are
/// built from `add`, `mul` and `pow` (`a - b` is `a + b * -1`, `a / b` is `a * b ** -1`).
public enum Op: UInt8, Sendable, CaseIterable {
    /// A value the user made (a number, a weight, an input); it has no inputs.
    case leaf
    case add, mul
    /// Power with a constant exponent, which is stored beside the node, not as an input.
    case pow
    case tanh, exp, log, relu, sigmoid
    /// An operation of the user's own (`Value(_:inputs:op:backward:)`): the engine keeps its
    /// inputs and calls its backward step, but does not compute it.
    case custom

    /// How many input nodes the op reads (the exponent of `pow` is not a node; a custom
    /// node has as many as it was made with, and says 0 here).
    @inlinable public var arity: Int {
        switch self {
        case .leaf, .custom: 0
        case .add, .mul: 2
        case .pow, .tanh, .exp, .log, .relu, .sigmoid: 1
        }
    }

    /// When a node of this op has finite local derivatives (slopes), whatever its inputs.
    @usableFromInline enum Slopes: Sendable {
        /// Always: a leaf has none, `+` passes 1, `relu` 0 or 1.
        case finite
        /// When its own output is a number: `*`'s slopes are its inputs' data, which are
        /// finite if the product is; `exp`, `tanh` and `sigmoid` make theirs from the output.
        case finiteIfOutputIs
        /// Not known: `x ** -1` and `log(x)` have infinite slopes at a tiny finite `x`,
        /// and a custom op's slopes are its own business.
        case unbounded
    }

    /// See `Slopes`.
    @inlinable var slopes: Slopes {
        switch self {
        case .leaf, .add, .relu: .finite
        case .mul, .exp, .tanh, .sigmoid: .finiteIfOutputIs
        case .pow, .log, .custom: .unbounded
        }
    }

    /// The name micrograd and its drawings use: `+`, `*`, `tanh`, … (`pow` shows as `**`).
    public var symbol: String {
        switch self {
        case .leaf: ""
        case .add: "+"
        case .mul: "*"
        case .pow: "**"
        case .tanh: "tanh"
        case .exp: "exp"
        case .log: "log"
        case .relu: "ReLU"
        case .sigmoid: "sigmoid"
        case .custom: "custom"
        }
    }
}

// The C library's functions, under names the op cases named `pow`, `exp` and `log` cannot hide.
@inlinable func libm_pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inlinable func libm_exp(_ x: Double) -> Double { exp(x) }
@inlinable func libm_log(_ x: Double) -> Double { log(x) }

// MARK: - Each op's forward formula beside its local derivatives

extension Op {
    /// The op's output for inputs `x` and `y` (for `pow`, `y` is the exponent).
    ///
    /// ```
    /// add      x + y
    /// mul      x · y
    /// pow      xᵏ
    /// tanh     (e²ˣ − 1) / (e²ˣ + 1), as micrograd computes it; ±1 past |x| = 20
    /// exp      eˣ
    /// log      ln x
    /// relu     0 if x < 0 else x
    /// sigmoid  1 / (1 + e⁻ˣ)
    /// ```
    @inlinable @inline(__always)
    public func forward(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .leaf: return x
        case .add: return x + y
        case .mul: return x * y
        case .pow: return libm_pow(x, y)
        case .tanh:
            // The tutorial's formula as micrograd writes it, (e²ˣ − 1) / (e²ˣ + 1), so that
            // every output is micrograd's to the last bit (expm1 would be more accurate near
            // 0, and differ from it in the last digit for many inputs, 0.52 among them).
            // Past 20 it is ±1 to the last bit, and stopping there keeps e²ˣ from
            // overflowing into inf/inf = NaN.
            if x > 20 { return 1 }
            let e = libm_exp(2 * x)
            return (e - 1) / (e + 1)
        case .exp: return libm_exp(x)
        case .log: return libm_log(x)
        case .relu: return x < 0 ? 0 : x
        case .sigmoid: return 1 / (1 + libm_exp(-x))
        case .custom: return x
        }
    }

    /// The local derivatives ∂out/∂x and ∂out/∂y, given the inputs and the output `out`.
    ///
    /// ```
    /// add      1, 1
    /// mul      y, x
    /// pow      k · xᵏ⁻¹
    /// tanh     1 − out²
    /// exp      out
    /// log      1 / x
    /// relu     1 if out > 0 else 0
    /// sigmoid  out · (1 − out)
    /// ```
    @inlinable @inline(__always)
    public func localDerivatives(_ x: Double, _ y: Double, out: Double) -> (dx: Double, dy: Double) {
        switch self {
        case .leaf: return (0, 0)
        case .add: return (1, 1)
        case .mul: return (y, x)
        case .pow: return (y * libm_pow(x, y - 1), 0)
        case .tanh: return (1 - out * out, 0)
        case .exp: return (out, 0)
        case .log: return (1 / x, 0)
        case .relu: return (out > 0 ? 1 : 0, 0)
        case .sigmoid: return (out * (1 - out), 0)
        case .custom: return (0, 0)
        }
    }
}
