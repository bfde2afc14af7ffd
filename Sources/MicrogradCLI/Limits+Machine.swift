import MicrogradLanguage
import MicrogradPlatform

extension Limits {
    /// The session's limits, with those on list items and on a statement's nodes made
    /// smaller where this machine (or a limit it puts on this process: `ulimit -v`, a
    /// container's memory) could not hold that many: then a list or a graph too large for
    /// the memory is an error that names the limit, not a crash. (The graph asks for its
    /// own memory ahead, and a statement it cannot get it for stops with an error; but a
    /// node also takes room in the passes over it, and a label in a table.)
    public static func fittingThisMachine(available: Int? = Process.memoryAvailable()) -> Limits {
        var limits = Limits()
        guard let available else { return limits }
        // An item is a few words in its list, whose block doubles as it grows, and an
        // operation such as xs + xs holds its operands and its result at once; an item can
        // be a list, a string or a set member of its own, several times that. So: a
        // sixteenth of what is left, in items.
        let items = available / (16 * MemoryLayout<Object>.stride)
        limits.listItems = Swift.max(100_000, Swift.min(limits.listItems, items))
        limits.listLength = Swift.min(limits.listLength, limits.listItems)
        limits.stringLength = Swift.min(limits.stringLength, limits.listItems)  // (a string is gone through as a list)
        // A node is 34 bytes in the graph, and as much again in a pass's lists and tables,
        // while the graph doubles: a quarter of what is left, at 160 bytes a node.
        limits.nodesPerStatement = Swift.max(100_000, Swift.min(limits.nodesPerStatement, available / 160))
        let usual = Limits()
        limits.fitToMemory = limits.listItems < usual.listItems || limits.nodesPerStatement < usual.nodesPerStatement
        return limits
    }
}
