import Micrograd
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// micrograd's demo, bit for bit.
@Suite struct MoonsTests {
    /// The project's folder, found from this file's path.
    static let root = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/")).withLeadingSlash

    @Test func theBundledDataIsTheDataFolder() throws {
        #expect(try Dataset(csv: Self.root + "/Data/moons100.csv") == .moons100)
        #expect(try readParameters(from: Self.root + "/Data/init_mlp_2_16_16_1_seed1337.txt") == MoonsDemo.initialParameters)
        #expect(Dataset.moons100.x.count == 100 && MoonsDemo.initialParameters.count == 337)
    }

    @Test func trainingMatchesMicrogradToTheLastDigit() throws {
        let demo = try MoonsDemo(data: .moons100, initial: MoonsDemo.initialParameters)
        var steps: [TrainingStep] = []
        demo.train(steps: 100) { steps.append($0) }
        #expect(steps.first?.loss.pythonDescription == "0.8958441028683222")
        #expect(steps.last?.loss.pythonDescription == "0.010978370135492717")
        #expect(steps.last?.accuracy == 1.0)
        #expect(steps[1].learningRate == 0.991)    // 1 - 0.9·1/100
    }

    @Test func aStepRecordsMicrogradsNodeCount() throws {
        let demo = try MoonsDemo(data: .moons100, initial: MoonsDemo.initialParameters)
        let before = demo.model.graph.count
        _ = demo.loss()
        #expect(demo.model.graph.count - before == 65_481)
    }

    @Test func badDataFilesSayWhereAndWhat() throws {
        let dir = "/tmp/micrograd-tests-\(getpid())"
        mkdir(dir, 0o700)
        func write(_ name: String, _ text: String) -> String {
            let path = dir + "/" + name
            let f = fopen(path, "w")!
            fputs(text, f)
            fclose(f)
            return path
        }
        let badRow = write("bad.csv", "x,y,label\n1,2,1\n1,oops,1\n")
        #expect(throws: DataFileError(path: badRow, message: "line 3: expected x,y,label with label -1 or 1, got '1,oops,1'")) {
            try Dataset(csv: badRow)
        }
        let empty = write("empty.csv", "x,y,label\n")
        #expect(throws: DataFileError(path: empty, message: "no data rows")) { try Dataset(csv: empty) }
        let params = write("p.txt", "0.5\n1e-3 -2\nseven\n")
        #expect(throws: DataFileError(path: params, message: "line 3: 'seven' is not a number")) {
            try readParameters(from: params)
        }
        #expect(try readParameters(from: write("ok.txt", "0.5\n1e-3 -2\n\n")) == [0.5, 1e-3, -2])
        #expect(throws: DataFileError(path: dir + "/missing", message: "No such file or directory")) {
            try readParameters(from: dir + "/missing")
        }
        #expect(throws: DataFileError.self) { try readParameters(from: dir) }   // a directory
    }
}

extension String {
    var withLeadingSlash: String { hasPrefix("/") ? self : "/" + self }
}
