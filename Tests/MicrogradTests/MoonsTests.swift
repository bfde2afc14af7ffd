import Foundation
import Micrograd
import MicrogradDemo
import Testing

/// micrograd's demo, bit for bit.
@Suite struct MoonsTests {
    /// The project's folder, found from this file's path.
    static let root = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/")).withLeadingSlash

    @Test func theBundledDataIsTheDataFolder() throws {
        let csv = Self.root + "/Data/moons100.csv", initial = Self.root + "/Data/init_mlp_2_16_16_1_seed1337.txt"
        #expect(try Dataset(csv: String(contentsOfFile: csv, encoding: .utf8), path: csv) == .moons100)
        #expect(try parameters(fromText: String(contentsOfFile: initial, encoding: .utf8), path: initial) == MoonsDemo.initialParameters)
        #expect(Dataset.moons100.x.count == 100 && MoonsDemo.initialParameters.count == 337)
    }

    @Test func trainingMatchesMicrogradToTheLastDigit() throws {
        let demo = try MoonsDemo(data: .moons100, initial: MoonsDemo.initialParameters)
        var steps: [TrainingStep] = []
        demo.train(steps: 100) { steps.append($0) }
        #expect(steps.first?.loss.pythonDescription == "0.8958441028683222")
        #expect(steps.last?.loss.pythonDescription == "0.010978370135492717")
        #expect(steps.last?.accuracy == 1.0)
        #expect(steps[1].learningRate == 0.991)  // 1 - 0.9·1/100
    }

    /// The demo's starting parameters are micrograd's nn.py drawn after random.seed(1337):
    /// ReLU and linear neurons draw their weights and start their biases at 0, so the
    /// network made from seed 1337 is the bundled one, number for number.
    @Test func theSeedGivesTheBundledParameters() throws {
        let demo = try MoonsDemo(data: .moons100, seed: 1337)
        #expect(demo.model.parameters().map(\.data) == MoonsDemo.initialParameters)
        // The tutorial's tanh neurons draw their biases too (its Neuron's random.uniform).
        var random = PythonRandom(seed: 1337)
        let neuron = Neuron(2, activation: .tanh, using: &random, in: Graph())
        #expect(neuron.parameters().map(\.data) == [0.23550571390294128, 0.06653114721000164, -0.26830328150124894])
    }

    @Test func aStepRecordsMicrogradsNodeCount() throws {
        let demo = try MoonsDemo(data: .moons100, initial: MoonsDemo.initialParameters)
        let before = demo.model.graph.count
        _ = demo.loss()
        #expect(demo.model.graph.count - before == 65_481)
    }

    @Test func badDataSaysWhereAndWhat() throws {
        #expect(
            throws: DataFileError(
                path: "bad.csv", message: "line 3: expected x,y,label with finite x and y and a label of -1 or 1, got '1,oops,1'")
        ) {
            try Dataset(csv: "x,y,label\n1,2,1\n1,oops,1\n", path: "bad.csv")
        }
        #expect(throws: DataFileError(path: "empty.csv", message: "no data rows")) { try Dataset(csv: "x,y,label\n", path: "empty.csv") }
        #expect(throws: DataFileError(path: "p.txt", message: "line 3: 'seven' is not a finite number")) {
            try parameters(fromText: "0.5\n1e-3 -2\nseven\n", path: "p.txt")
        }
        #expect(try parameters(fromText: "0.5\n1e-3 -2\n\n", path: "ok.txt") == [0.5, 1e-3, -2])
    }
}

extension String {
    var withLeadingSlash: String { hasPrefix("/") ? self : "/" + self }
}
