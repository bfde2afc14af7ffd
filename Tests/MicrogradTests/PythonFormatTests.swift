import Micrograd
import Testing

/// Numbers print as Python's `repr` prints them, so they match the tutorial digit for digit.
@Suite struct PythonFormatTests {
    @Test(arguments: [
        (-8.0, "-8.0"), (20.0, "20.0"), (14.000300000063248, "14.000300000063248"),
        (0.1, "0.1"), (1e-4, "0.0001"), (1e-5, "1e-05"), (2.5e-5, "2.5e-05"),
        (1e15, "1000000000000000.0"), (9007199254740993.0, "9007199254740992.0"),
        (9935981568934664.0, "9935981568934664.0"), (-9080075146850292.0, "-9080075146850292.0"),
        (1e16, "1e+16"), (1.2345678901234568e17, "1.2345678901234568e+17"), (1e22, "1e+22"),
        (.infinity, "inf"), (-.infinity, "-inf"), (.nan, "nan"), (-0.0, "-0.0"),
        (5e-324, "5e-324"), (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
    ])
    func likePythonsRepr(_ x: Double, _ python: String) {
        #expect(x.pythonDescription == python)
    }
}
