import DragonnKit
import XCTest

final class SimulationTests: XCTestCase {
    let tal1 = try! SimCheck.motifs.motif(named: "TAL1_known4")

    func run(_ sim: Simulation, seed: UInt64 = 11) throws -> [SimulatedSequence] {
        try SimulationRunner(simulation: sim, seed: seed).generateAll()
    }

    func testDensityLocalizationTutorialDefaults() throws {
        let sim = try Simulations.motifDensityLocalization(
            motif: tal1, seqLength: 1000, centerSize: 150, minMotifCounts: 2, maxMotifCounts: 4,
            numPos: 1500, numNeg: 1500, gcFraction: 0.4)
        let seqs = try run(sim)
        XCTAssertEqual(seqs.count, 3000)
        XCTAssertEqual(seqs.first?.name, "pos_000001")
        XCTAssertEqual(seqs[1500].name, "neg_000001")
        let (gc, n, aMinusT, cMinusG) = SimCheck.backgroundGC(seqs)
        XCTAssertEqual(gc, 0.4, accuracy: 4.5 * (0.24 / Double(n)).squareRoot())
        XCTAssertLessThan(abs(Double(aMinusT)), 4.5 * (Double(n) * 0.6).squareRoot())
        XCTAssertLessThan(abs(Double(cMinusG)), 4.5 * (Double(n) * 0.4).squareRoot())
        SimCheck.assertNoOverlaps(seqs)
        SimCheck.assertInstancesAreMotifSamples(seqs, motifs: sim.motifs, gc: 0.4)
        var countHistogram = [Int](repeating: 0, count: 5)
        var outsideCentre = 0, startsPos = 0.0, startsNeg = 0.0, nPos = 0, nNeg = 0
        for s in seqs {
            XCTAssertEqual(s.bases.count, 1000)
            XCTAssertTrue((2...4).contains(s.instances.count), "\(s.name): \(s.instances.count) instances")
            countHistogram[s.instances.count] += 1
            let positive = s.name.hasPrefix("pos")
            XCTAssertEqual(s.labels, positive ? [1] : [0])
            for p in s.instances {
                if positive {
                    XCTAssertGreaterThanOrEqual(p.start, 425, s.name)
                    XCTAssertLessThanOrEqual(p.end, 575, s.name)
                    startsPos += Double(p.start); nPos += 1
                } else {
                    if p.start < 425 || p.end > 575 { outsideCentre += 1 }
                    startsNeg += Double(p.start); nNeg += 1
                }
            }
        }
        // Counts uniform over 2, 3, 4.
        for k in 2...4 { SimCheck.assertProportion(countHistogram[k], 3000, 1.0 / 3, "count \(k)") }
        // Negatives use the whole sequence: mean start near (1000 - 10) / 2, most outside the centre.
        XCTAssertEqual(startsNeg / Double(nNeg), 495, accuracy: 15)
        XCTAssertGreaterThan(Double(outsideCentre) / Double(nNeg), 0.75)
        XCTAssertEqual(startsPos / Double(nPos), 425 + 70, accuracy: 5)
    }

    func testSampledBasesFollowThePWM() throws {
        let sim = try Simulations.motifCounting(motif: tal1, seqLength: 200, posCounts: (5, 5), negCounts: (5, 5),
                                                numPos: 1000, numNeg: 1000, gcFraction: 0.5)
        let seqs = try run(sim, seed: 5)
        var counts = [[Int]](repeating: [0, 0, 0, 0], count: tal1.length)
        var total = 0
        for s in seqs {
            for p in s.instances {
                total += 1
                for (i, c) in SimCheck.instanceCodes(s.bases, p).enumerated() { counts[i][Int(c)] += 1 }
            }
        }
        XCTAssertEqual(total, 10000)
        for pos in 0..<tal1.length {
            for b in 0..<4 {
                SimCheck.assertProportion(counts[pos][b], total, tal1.probability(at: pos, base: b), z: 5,
                                          "position \(pos) base \(b)")
            }
        }
    }

    func testSingleMotifDetection() throws {
        let sim = try Simulations.singleMotifDetection(motif: tal1, seqLength: 500, numPos: 800, numNeg: 700, gcFraction: 0.6)
        let seqs = try run(sim)
        XCTAssertEqual(seqs.filter { $0.name.hasPrefix("pos") }.count, 800)
        XCTAssertEqual(seqs.filter { $0.name.hasPrefix("neg") }.count, 700)
        for s in seqs {
            XCTAssertEqual(s.instances.count, s.name.hasPrefix("pos") ? 1 : 0)
            XCTAssertEqual(s.labels, s.name.hasPrefix("pos") ? [1] : [0])
        }
        let (gc, n, _, _) = SimCheck.backgroundGC(seqs)
        XCTAssertEqual(gc, 0.6, accuracy: 4.5 * (0.24 / Double(n)).squareRoot())
        SimCheck.assertInstancesAreMotifSamples(seqs, motifs: sim.motifs, gc: 0.6)
        // Starts uniform over 0...490.
        let starts = seqs.flatMap(\.instances).map(\.start)
        XCTAssertEqual(Double(starts.reduce(0, +)) / Double(starts.count), 245, accuracy: 4.5 * 142 / 800.0.squareRoot())
        XCTAssertEqual(starts.max(), starts.max().map { min($0, 490) })
    }

    func testMotifCounting() throws {
        let sim = try Simulations.motifCounting(motif: tal1, seqLength: 300, posCounts: (3, 5), negCounts: (0, 2),
                                                numPos: 900, numNeg: 900, gcFraction: 0.4)
        let seqs = try run(sim)
        var hist = [String: [Int]]()
        for s in seqs {
            let key = String(s.name.prefix(3))
            let range = key == "pos" ? 3...5 : 0...2
            XCTAssertTrue(range.contains(s.instances.count), "\(s.name) has \(s.instances.count)")
            hist[key, default: [Int](repeating: 0, count: 6)][s.instances.count] += 1
        }
        for k in 3...5 { SimCheck.assertProportion(hist["pos"]![k], 900, 1.0 / 3, "pos count \(k)") }
        for k in 0...2 { SimCheck.assertProportion(hist["neg"]![k], 900, 1.0 / 3, "neg count \(k)") }
        SimCheck.assertNoOverlaps(seqs)
        SimCheck.assertInstancesAreMotifSamples(seqs, motifs: sim.motifs, gc: 0.4)
    }

    func testMultiMotifEmbedding() throws {
        let names = ["CTCF_known1", "ZNF143_known2", "SIX5_known1"]
        let motifs = try names.map { try SimCheck.motifs.motif(named: $0) }
        let sim = try Simulations.multiMotifEmbedding(motifs: motifs, seqLength: 500, minNumMotifs: 0, maxNumMotifs: 3,
                                                      numSeqs: 2000, gcFraction: 0.4)
        XCTAssertEqual(sim.taskNames, names)
        let seqs = try run(sim)
        var sizes = [Int](repeating: 0, count: 4)
        var present = [Int](repeating: 0, count: 3)
        for s in seqs {
            XCTAssertTrue(s.name.hasPrefix("seq_"))
            let embedded = Set(s.instances.map(\.motif))
            XCTAssertEqual(embedded.count, s.instances.count, "each chosen motif once")
            XCTAssertEqual(s.labels, (0..<3).map { embedded.contains($0) ? 1 : 0 }, s.name)
            sizes[s.instances.count] += 1
            for m in embedded { present[m] += 1 }
        }
        for k in 0...3 { SimCheck.assertProportion(sizes[k], 2000, 0.25, "subset size \(k)") }
        // Each motif is present with probability E[size]/3 = 0.5.
        for m in 0..<3 { SimCheck.assertProportion(present[m], 2000, 0.5, "motif \(m) present") }
        SimCheck.assertNoOverlaps(seqs)
        SimCheck.assertInstancesAreMotifSamples(seqs, motifs: sim.motifs, gc: 0.4)
    }

    func testDifferentialAccessibility() throws {
        let pos = try ["CTCF_known1", "ZNF143_known2"].map { try SimCheck.motifs.motif(named: $0) }
        let neg = try ["SIX5_known1", "SPI1_known4"].map { try SimCheck.motifs.motif(named: $0) }
        let sim = try Simulations.differentialAccessibility(posMotifs: pos, negMotifs: neg, seqLength: 400,
                                                            minNumMotifs: 1, maxNumMotifs: 2,
                                                            numPos: 600, numNeg: 600, gcFraction: 0.45)
        let seqs = try run(sim)
        for s in seqs {
            let positive = s.name.hasPrefix("pos")
            XCTAssertEqual(s.labels, positive ? [1] : [0])
            XCTAssertTrue((1...2).contains(s.instances.count))
            for p in s.instances {
                let name = sim.motifs[p.motif].name
                XCTAssertTrue((positive ? pos : neg).contains { $0.name == name }, "\(s.name): \(name)")
            }
        }
        SimCheck.assertNoOverlaps(seqs)
        SimCheck.assertInstancesAreMotifSamples(seqs, motifs: sim.motifs, gc: 0.45)
    }

    func testHeterodimerGrammar() throws {
        let m1 = try SimCheck.motifs.motif(named: "SPI1_known4"), m2 = try SimCheck.motifs.motif(named: "IRF_known20")
        let sim = try Simulations.heterodimerGrammar(motif1: m1, motif2: m2, seqLength: 500, minSpacing: 2, maxSpacing: 5,
                                                     numPos: 1000, numNeg: 1000, gcFraction: 0.4)
        let seqs = try run(sim)
        var gaps = [Int](repeating: 0, count: 6)
        var farApart = 0
        for s in seqs {
            XCTAssertEqual(s.instances.count, 2)
            XCTAssertEqual(Set(s.instances.map(\.motif)), [0, 1])
            let a = s.instances[0], b = s.instances[1]
            let gap = b.start - a.end
            if s.name.hasPrefix("pos") {
                XCTAssertEqual(a.motif, 0, "motif1 comes first")
                XCTAssertTrue((2...5).contains(gap), "\(s.name): gap \(gap)")
                gaps[gap] += 1
            } else if gap > 5 {
                farApart += 1
            }
        }
        for g in 2...5 { SimCheck.assertProportion(gaps[g], 1000, 0.25, "gap \(g)") }
        XCTAssertGreaterThan(farApart, 900, "negatives place the motifs independently")
        SimCheck.assertNoOverlaps(seqs)
        SimCheck.assertInstancesAreMotifSamples(seqs, motifs: sim.motifs, gc: 0.4)
    }

    func testExtremeGCBackgrounds() throws {
        for gc in [0.0, 1.0] {
            let sim = try Simulations.singleMotifDetection(motif: tal1, seqLength: 100, numPos: 0, numNeg: 50, gcFraction: gc)
            let seqs = try run(sim)
            let allowed: Set<UInt8> = gc == 0 ? [65, 84] : [67, 71]
            for s in seqs { XCTAssertTrue(Set(s.bases).isSubset(of: allowed)) }
        }
    }

    func testDeterministicUnderSeed() throws {
        let sim = try Simulations.motifDensityLocalization(
            motif: tal1, seqLength: 300, centerSize: 100, minMotifCounts: 1, maxMotifCounts: 3,
            numPos: 50, numNeg: 50, gcFraction: 0.4)
        let a = try run(sim, seed: 42), b = try run(sim, seed: 42), c = try run(sim, seed: 43)
        XCTAssertEqual(a.map(\.bases), b.map(\.bases))
        XCTAssertEqual(a.map(\.instances), b.map(\.instances))
        XCTAssertNotEqual(a.map(\.bases), c.map(\.bases))
        // Changing the number of negatives leaves the positives as they were.
        var fewer = sim
        fewer.classes[1].count = 10
        let d = try run(fewer, seed: 42)
        XCTAssertEqual(Array(d.prefix(50)).map(\.bases), Array(a.prefix(50)).map(\.bases))
    }

    func testValidationErrors() throws {
        func message(_ body: () throws -> Any) -> String {
            do { _ = try body(); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message { try Simulations.motifDensityLocalization(
            motif: self.tal1, seqLength: 1000, centerSize: 150, minMotifCounts: 5, maxMotifCounts: 4,
            numPos: 1, numNeg: 1, gcFraction: 0.4) }.contains("--min-motif-counts (5) is greater than --max-motif-counts (4)"))
        XCTAssertTrue(message { try SimulationRunner(simulation: try Simulations.motifDensityLocalization(
            motif: self.tal1, seqLength: 1000, centerSize: 8, minMotifCounts: 1, maxMotifCounts: 1,
            numPos: 1, numNeg: 1, gcFraction: 0.4), seed: 1) }.contains("longer than the centre"))
        XCTAssertTrue(message { try SimulationRunner(simulation: try Simulations.motifDensityLocalization(
            motif: self.tal1, seqLength: 1000, centerSize: 150, minMotifCounts: 2, maxMotifCounts: 16,
            numPos: 1, numNeg: 1, gcFraction: 0.4), seed: 1) }.contains("cannot fit without overlap"))
        XCTAssertTrue(message { try SimulationRunner(simulation: try Simulations.singleMotifDetection(
            motif: self.tal1, seqLength: 5, numPos: 1, numNeg: 1, gcFraction: 0.4), seed: 1) }
            .contains("longer than the sequence"))
        XCTAssertTrue(message { try SimulationRunner(simulation: try Simulations.singleMotifDetection(
            motif: self.tal1, seqLength: 100, numPos: 1, numNeg: 1, gcFraction: 1.5), seed: 1) }
            .contains("--gc-fraction must be between 0 and 1"))
        XCTAssertTrue(message { try Simulations.heterodimerGrammar(
            motif1: self.tal1, motif2: self.tal1, seqLength: 100, minSpacing: 6, maxSpacing: 2,
            numPos: 1, numNeg: 1, gcFraction: 0.4) }.contains("--min-spacing (6) is greater than --max-spacing (2)"))
        XCTAssertTrue(message { try SimulationRunner(simulation: try Simulations.multiMotifEmbedding(
            motifs: [self.tal1], seqLength: 100, minNumMotifs: 0, maxNumMotifs: 2, numSeqs: 1, gcFraction: 0.4), seed: 1) }
            .contains("only 1 given"))
        // Sizes a user can type are bounded before anything is allocated or multiplied.
        XCTAssertTrue(message { try SimulationRunner(simulation: try Simulations.singleMotifDetection(
            motif: self.tal1, seqLength: 1_000_000_000_000, numPos: 1, numNeg: 1, gcFraction: 0.4), seed: 1) }
            .contains("--seq-length must be in 1...268435456"))
        XCTAssertTrue(message { try SimulationRunner(simulation: try Simulations.motifDensityLocalization(
            motif: self.tal1, seqLength: 1000, centerSize: 150, minMotifCounts: 2, maxMotifCounts: Int.max / 4,
            numPos: 1, numNeg: 1, gcFraction: 0.4), seed: 1) }.contains("cannot fit without overlap"))
        XCTAssertTrue(message { try SimulationRunner(simulation: try Simulations.heterodimerGrammar(
            motif1: self.tal1, motif2: self.tal1, seqLength: 100, minSpacing: 2, maxSpacing: Int.max,
            numPos: 1, numNeg: 1, gcFraction: 0.4), seed: 1) }.contains("--max-spacing"))
    }

    func testTightPackingStillPlacesEverything() throws {
        // 12 instances of a 10-bp motif in 150 bp: random placement often fragments the centre
        // and must be redrawn, but every sequence ends up with 12 non-overlapping instances.
        let sim = try Simulations.motifDensityLocalization(
            motif: tal1, seqLength: 400, centerSize: 150, minMotifCounts: 12, maxMotifCounts: 12,
            numPos: 30, numNeg: 0, gcFraction: 0.4)
        let seqs = try run(sim)
        for s in seqs { XCTAssertEqual(s.instances.count, 12) }
        SimCheck.assertNoOverlaps(seqs)
    }
}
