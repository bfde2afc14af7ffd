extension Lesson {
    /// The lessons built into the program (from Lessons/, by the EmbedFiles plugin). A lesson
    /// that does not parse stops the program with its name and the reason: it cannot ship.
    public static let bundled: [Lesson] = bundledSources.map { source in
        do throws(LanguageError) {
            return try Lesson.parse(source.text, name: source.name)
        } catch {
            fatalError("Lessons/\(source.name).md:\(error.location?.line ?? 1): \(error.message)")
        }
    }
}
