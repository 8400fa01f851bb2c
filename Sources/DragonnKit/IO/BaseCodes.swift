/// Base codes: the compact form every tool works on. A sequence of length L is L bytes, one code
/// per base: A 0, C 1, G 2, T 3, anything else (N, IUPAC, gaps) 4. Code 4 becomes an all-zero
/// one-hot column.

/// Code of a base that is not A, C, G or T.
public let unknownBaseCode: UInt8 = 4

/// ASCII byte → base code (A0 C1 G2 T3, upper or lower case; every other byte 4).
public let oneHotCodes: [UInt8] = {
    var table = [UInt8](repeating: 4, count: 256)
    for (i, base) in "ACGT".utf8.enumerated() {
        table[Int(base)] = UInt8(i)
        table[Int(base) + 32] = UInt8(i)  // lower case
    }
    return table
}()

/// Translates ASCII bases to base codes: `codes[i] = oneHotCodes[ascii[i]]`.
@inlinable
public func encodeBases(_ ascii: UnsafeBufferPointer<UInt8>, into codes: UnsafeMutablePointer<UInt8>) {
    oneHotCodes.withUnsafeBufferPointer { table in
        let t = table.baseAddress!
        for i in 0..<ascii.count { codes[i] = t[Int(ascii[i])] }
    }
}

/// Base codes of an ASCII string (convenience for small inputs and tests).
public func baseCodes(_ sequence: String) -> [UInt8] {
    sequence.utf8.map { oneHotCodes[Int($0)] }
}

/// Reverse complement of base codes: reversed, A↔T, C↔G, unknown stays unknown.
@inlinable
public func reverseComplementCodes(_ codes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) {
    let n = codes.count
    for i in 0..<n {
        let c = codes[n - 1 - i]
        out[i] = c < 4 ? 3 &- c : c
    }
}

/// Reverse complement of base codes (array form).
public func reverseComplementCodes(_ codes: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: codes.count)
    codes.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { reverseComplementCodes(src, into: $0.baseAddress!) }
    }
    return out
}

/// Tensor layout of a one-hot array: `[N][4][L]` (PyTorch, `ncl`) or `[N][L][4]` (`nlc`).
public enum OneHotLayout: String, CaseIterable, Sendable {
    case ncl, nlc
}

/// Writes the one-hot form of one sequence's base codes into `out` (4*L elements, `ncl` =
/// channel-major `[4][L]`, `nlc` = position-major `[L][4]`); unknown bases give all-zero columns.
@inlinable
public func oneHot<T: Numeric>(_ codes: UnsafeBufferPointer<UInt8>, layout: OneHotLayout,
                               into out: UnsafeMutablePointer<T>) {
    let n = codes.count
    switch layout {
    case .ncl:
        for c in 0..<4 {
            let row = out + c * n
            let cc = UInt8(c)
            for i in 0..<n { row[i] = codes[i] == cc ? 1 : 0 }
        }
    case .nlc:
        for i in 0..<n {
            let cell = out + 4 * i
            let code = codes[i]
            cell[0] = code == 0 ? 1 : 0
            cell[1] = code == 1 ? 1 : 0
            cell[2] = code == 2 ? 1 : 0
            cell[3] = code == 3 ? 1 : 0
        }
    }
}
