// Evaluation-mode forward pass with the deeper convolutions channel-major (`ChannelMajorConv`):
// layer 0 runs as usual on base codes (position-major), its output is transposed to a row per
// filter, layers 1, 2, ... run with positions in the lanes, and the max-pool writes the engine's
// usual pooled layout for the dense layer. Every output is summed in the same order as the
// position-major pass, so the logits are the same bits (up to the sign of a zero that max-pool
// keeps on a tie of +0 and −0); the gain is the idle lane of position-major SIMD16 rows when the
// filter count is not a multiple of 16 (the tutorial's 15). Only the positions the max-pool
// reads are computed (the pool drops the last layer's remainder: 28 of 973 positions, and what
// feeds them, at the tutorial's sizes).

import DragonnKernels

/// Layers 1, 2, ...'s weights repacked for `ChannelMajorConv.forward`, built from the parameters
/// once per prediction call (like the tap-pair table).
struct ChannelMajorWeights {
    let table: FloatBuffer
    /// Offset of each layer's packed weights in `table` (unused for layer 0).
    let offsets: [Int]

    init(shape: ModelShape, params: UnsafePointer<Float>) {
        var offsets = [0], total = 0
        for l in shape.layers.dropFirst() {
            offsets.append(total)
            total += ChannelMajorConv.packedCount(filters: l.filters, nIn: l.inChannels, width: l.width)
        }
        table = FloatBuffer(total)
        for (i, l) in shape.layers.enumerated() where i > 0 {
            ChannelMajorConv.pack(w: params + l.weightOffset, wRows: l.weightRows, outStride: l.outStride,
                                  bias: params + l.biasOffset, filters: l.filters, nIn: l.inChannels, width: l.width,
                                  into: table.base + offsets[i])
        }
        self.offsets = offsets
    }
}

extension ModelShape {
    /// Whether evaluation-mode prediction should run layers 1, 2, ... channel-major: when there
    /// are such layers and they waste fewer lanes that way (filters padded to a multiple of 3)
    /// than position-major (padded to a multiple of 16), counted in multiply-adds.
    var prefersChannelMajor: Bool {
        guard layers.count >= 2 else { return false }
        var positionMajor = 0, channelMajor = 0
        for l in layers.dropFirst() {
            let taps = l.outLength * l.width * l.inChannels
            positionMajor += taps * l.outStride
            channelMajor += taps * ChannelMajorConv.paddedFilters(l.filters)
        }
        return channelMajor < positionMajor
    }
}

/// Channel-major activation rows of one sequence: layer 0's output transposed, then each deeper
/// layer's output, [rows][rowLength(outLength)] each, with rows enough for the kernels' padding
/// (whole blocks of filters; whole groups of 8 for the transpose).
final class ChannelMajorBuffers {
    let rows: [Int]
    let acts: [FloatBuffer]
    /// Positions of each layer's output that the max-pool reads, directly or through the layers
    /// above: the last layer's first pooledLength × poolWidth (the pool drops the remainder), and
    /// each earlier layer what feeds those. The rest would be computed for nothing.
    let needed: [Int]

    init(_ shape: ModelShape) {
        var n = shape.pooledLength * shape.poolWidth, needed = [Int](repeating: 0, count: shape.layers.count)
        for i in shape.layers.indices.reversed() {
            needed[i] = n
            n += shape.layers[i].width - 1
        }
        self.needed = needed
        rows = shape.layers.map { ChannelMajorConv.rowLength($0.outLength) }
        acts = zip(shape.layers, rows).map { l, row in
            FloatBuffer(max(ChannelMajorConv.paddedFilters(l.filters), (l.filters + 7) / 8 * 8) * row)
        }
    }
}

extension Workspace {
    /// Runs one sequence (L base codes) forward in evaluation mode with layers 1, 2, ...
    /// channel-major (`ModelShape.prefersChannelMajor`); logits land in `logits`, as `forward`'s.
    func forwardChannelMajor(codes: UnsafePointer<UInt8>, params: UnsafePointer<Float>, pairs: FloatBuffer,
                             weights: ChannelMajorWeights, buffers: ChannelMajorBuffers) {
        let layers = shape.layers
        let l0 = layers[0]
        let needed = buffers.needed
        Conv1DCodes.forwardPaired(y: acts[0].base, outStride: l0.outStride, outLength: needed[0], codes: codes,
                                  w: params + l0.weightOffset, pairs: pairs.base, width: l0.width,
                                  bias: params + l0.biasOffset, offsets: codeOffsets, relu: true)
        ChannelMajorConv.transpose(x: acts[0].base, xStride: l0.outStride, length: needed[0], channels: l0.filters,
                                   y: buffers.acts[0].base, yRow: buffers.rows[0])
        for i in layers.indices.dropFirst() {
            let l = layers[i]
            ChannelMajorConv.forward(y: buffers.acts[i].base, yRow: buffers.rows[i], filters: l.filters, outLength: needed[i],
                                     x: buffers.acts[i - 1].base, xRow: buffers.rows[i - 1], nIn: l.inChannels,
                                     packed: weights.table.base + weights.offsets[i], width: l.width, relu: true)
        }
        let last = layers.count - 1
        ChannelMajorConv.maxPool(x: buffers.acts[last].base, xRow: buffers.rows[last], channels: layers[last].filters,
                                 pooledLength: shape.pooledLength, width: shape.poolWidth,
                                 pooled: pooled.base, stride: shape.pooledStride)
        Dense.forward(x: pooled.base, inputs: shape.denseInputs, w: params + shape.denseWeightOffset,
                      bias: params + shape.denseBiasOffset, tasks: shape.tasks, z: logits.base)
    }
}
