// Keeping your own notebook.
extension Command {
    static let save = Command(
        name: "save", usage: ":save FILE.md", summary: "write what you ran so far as a notebook (a lesson file)",
        details:
            "Writes every statement and command you ran this session (since the last :reset; not the ones that failed, nor :help, :next and the like) as a Markdown notebook in the lessons' format: each one a cell, with what it printed as its checked output. 'micrograd run FILE.md' replays it; 'micrograd lessons check FILE.md' checks that it still prints the same. An existing file is left alone; :save! replaces it.",
        example: ":save my-neuron.md", arguments: 1...1, isNavigation: true
    ) { session, call throws(LanguageError) in
        try session.saveNotebook(call, replacing: .nothing)
    }

    static let saveReplacing = Command(
        name: "save!", usage: ":save! FILE.md", summary: "like :save, replacing the file if it exists",
        details: "Like :save, but replaces FILE.md if it is already there (a file you may write; never a folder or a device).",
        example: ":save! my-neuron.md", arguments: 1...1, isNavigation: true
    ) { session, call throws(LanguageError) in
        try session.saveNotebook(call, replacing: .anyFile)
    }
}

extension Session {
    /// The session's notebook in the lessons' format, titled `title`. (A cell with a line
    /// that starts with ``` is fenced with more backticks, as CommonMark allows: it was
    /// left out, as the line would have closed its fence.)
    func notebookText(title: String) -> (text: String, cells: Int) {
        var text =
            "# \(title)\n\nSaved from a micrograd session. Each cell is what was typed, and the block after it what it printed. `micrograd run` on this file runs it again; `micrograd lessons check` on it checks that every cell still prints the same.\n"
        var cells = 0
        for entry in state.notebook where !entry.code.isEmpty {
            let code = Lesson.fence(for: Source.split(entry.code)), output = Lesson.fence(for: Source.split(entry.output))
            text += "\n\(code)micrograd" + (entry.width.map { " width=\($0)" } ?? "") + "\n\(entry.code)\n\(code)\n"
            cells += 1
            if !entry.output.isEmpty { text += "\n\(output)output\n\(entry.output)\n\(output)\n" }
        }
        return (text, cells)
    }

    fileprivate func saveNotebook(_ call: CommandCall, replacing: Replacing) throws(LanguageError) {
        let word = call.words[0]
        let path = word.fileName
        // (A name, not only an ending: `:save! /.md` wrote a hidden file at the root.)
        guard path.hasSuffix(".md"), (path.split(separator: "/").last?.count ?? 0) > 3 else {
            throw LanguageError(
                path.hasSuffix(".md")
                    ? "a notebook's file needs a name before its .md, such as my-work.md"
                    : "a notebook is a Markdown file: give a name ending in .md, such as my-work.md", at: word.location)
        }
        try Self.refuseControlCharacters(in: path, at: word.location)
        // (:save! onto the notebook that is running, or one being loaded, would cut it
        // short under its own feet.)
        if let identity = host.fileIdentity(path), loading.contains(identity) || topFile == identity {
            throw LanguageError(
                "\(path) is the notebook being run, so it was left as it is; save to another name (a notebook cannot replace itself as it runs)",
                at: word.location)
        }
        let file = path.split(separator: "/").last.map(String.init) ?? path
        let (text, cells) = notebookText(title: String(file.dropLast(3)))
        do throws(HostError) {
            try host.writeFile(path, Array(text.utf8), replacing: replacing)
        } catch {
            if error.isInterruption { throw .interrupted }
            if error.exists {
                throw LanguageError("\(path) is already there and was left as it is; :save! \(path) replaces it", at: word.location)
            }
            throw LanguageError("cannot write \(path): \(error.reason(for: path))", at: word.location)
        }
        var report = "wrote \(path): \(cells) cell\(cells == 1 ? "" : "s")"
        if state.notebookIsFull { report += ", the first \(Session.notebookBytes >> 20) MB of the session (a notebook keeps no more)" }
        guard state.failedCells > 0 else {
            emit(.result, report + "; micrograd run \(path) replays it")
            return
        }
        // (Without the cells left out, a cell that uses what they made fails on replay.)
        let n = state.failedCells, one = n == 1
        emit(
            .result,
            report
                + ".\nLeft out: \(n) cell\(one ? "" : "s") that stopped with an error or Ctrl-C. What \(one ? "it" : "they") did before stopping is not in the file, so a later cell that needs it may fail when the file runs.\nmicrograd run \(path) replays the rest"
        )
    }
}
