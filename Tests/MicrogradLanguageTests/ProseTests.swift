import MicrogradLanguage
import Testing

/// A lesson's Markdown at the terminal: reflowed to the width, styled, and no raw symbols.
@Suite struct ProseTests {
    static let text = """
        # 4. A neuron

        A neuron *weighs* its inputs, adds a **bias**, and squashes the sum with `tanh`:
        the output is `o = tanh(x1*w1 + x2*w2 + b)`. Read a*b + c as plain text, and
        keep snake_case_names whole.

        ## The parts

        - each input `xi` is multiplied by its weight `wi`, and the products are added up
          with the bias;
        - the sum goes through `tanh`.

        1. first
        2. second

        | PyTorch | here |
        | --- | --- |
        | `.item()` | `.data` |
        | `requires_grad` | every Value |

        ```python
        o.backward()
        ```

        > a quoted line
        """

    /// Visible text: the escape codes taken out.
    static func visible(_ s: String) -> String {
        var out = "", skipping = false
        for c in s {
            if c == "\u{1B}" { skipping = true; continue }
            if skipping { if c.isLetter { skipping = false }; continue }
            out.append(c)
        }
        return out
    }

    @Test(arguments: [40, 60, 80, 120])
    func noLineIsWiderThanTheTerminal(_ width: Int) {
        for styled in [true, false] {
            let lines = Self.visible(Prose.render(Self.text, width: width, styled: styled)).split(separator: "\n")
            for line in lines { #expect(line.count <= width, "\(width) \(styled): \(line)") }
        }
    }

    @Test func paragraphsAreReflowedNotKeptAsWritten() {
        let plain = Prose.render("one two three\nfour five six seven", width: 20, styled: false)
        #expect(plain == "one two three four\nfive six seven")
        #expect(Prose.render("one two three\nfour five six seven", width: 80, styled: false) == "one two three four five six seven")
    }

    @Test func plainTextHasNoMarkdownSymbolsLeft() {
        let plain = Prose.render(Self.text, width: 80, styled: false)
        #expect(!plain.contains("`") && !plain.contains("**") && !plain.contains("# ") && !plain.contains("| ---"))
        #expect(!plain.contains("\u{1B}"))
        #expect(plain.contains("A neuron weighs its inputs, adds a bias, and squashes the sum with tanh:"))
        // A * between letters is multiplication and a _ inside a name is part of it.
        #expect(plain.contains("Read a*b + c as plain text") && plain.contains("snake_case_names"))
        #expect(plain.hasPrefix("4. A neuron\n═══════════\n"))
        #expect(plain.contains("The parts\n─────────"))
        #expect(plain.contains(" • each input xi is multiplied by its weight wi, and the products are added up\n   with the bias;"))
        #expect(plain.contains(" 1. first\n 2. second"))
        #expect(plain.contains("PyTorch        here\n──────────────────────────\n.item()        .data\nrequires_grad  every Value"))
        #expect(plain.contains("(python, for reading: not run here)\n  o.backward()"))
        #expect(plain.contains("│ a quoted line"))
    }

    /// A fence of four backticks holds a line of three, as the lesson's cells do (the prose
    /// closed it there, and showed the rest as text).
    @Test func aLongerFenceHoldsAShorterOne() {
        let plain = Prose.render("````markdown\n```micrograd\na = 1\n```\n````\n\nafter", width: 80, styled: false)
        #expect(plain.contains("  ```micrograd\n  a = 1\n  ```"), "\(plain)")
        #expect(plain.hasSuffix("after") && !plain.contains("````"), "\(plain)")
    }

    @Test func stylesAreEscapeCodes() {
        let styled = Prose.render("A *word*, a **bold** one and `code`.", width: 80, styled: true)
        #expect(styled == "A \u{1B}[3mword\u{1B}[0m, a \u{1B}[1mbold\u{1B}[0m one and \u{1B}[36mcode\u{1B}[0m.")
        #expect(Self.visible(styled) == "A word, a bold one and code.")
        #expect(styled.contains("\u{1B}[3m") && styled.contains("\u{1B}[1m") && styled.contains("\u{1B}[36m"))
        #expect(Prose.render("# Title", width: 80, styled: true).hasPrefix("\u{1B}[1;4m"))
    }

    @Test func withoutUnicodeTheMarksAreASCII() {
        let ascii = Prose.render("# T\n\n- item\n\n> q", width: 80, styled: false, unicode: false)
        #expect(ascii == "T\n=\n\n - item\n\n| q")
    }
}
