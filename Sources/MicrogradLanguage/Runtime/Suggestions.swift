/// Did-you-mean: the name a typo was probably meant to be.
enum Suggestions {
    /// Names longer than this are not compared (a megabyte-long name would take minutes).
    static let longest = 64

    /// The closest of `candidates` to `name` by edit distance, if it is within `limit`
    /// edits (by default a third of its length): close enough to be a typo.
    static func closest(to name: String, among candidates: [String], limit: Int? = nil) -> String? {
        guard name.count <= longest else { return nil }
        let limit = limit ?? max(1, name.count / 3)
        var best: (String, Int)?
        for candidate in Set(candidates) where abs(candidate.count - name.count) <= limit && candidate.count <= longest {
            guard let d = distance(name, candidate, atMost: limit), d < name.count else { continue }  // not h for L
            if best == nil || d < best!.1 || (d == best!.1 && candidate < best!.0) { best = (candidate, d) }
        }
        return best?.0
    }

    /// Edits from `a` to `b`, where swapping two neighbouring characters counts as one edit
    /// (the commonest typo: alpah for alpha); nil once it is sure to be more than `limit`.
    static func distance(_ a: String, _ b: String, atMost limit: Int) -> Int? {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) <= limit ? max(a.count, b.count) : nil }
        var beforePrevious: [Int] = []
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            if current.min()! > limit { return nil }  // every path is already too long
            beforePrevious = previous
            previous = current
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
