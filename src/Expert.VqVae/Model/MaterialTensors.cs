using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;
using static TorchSharp.torch;

namespace Expert.VqVae.Model;

/// <summary>
/// Between grids with blocks and the autoencoder's voxel tensors with a material channel
/// (<see cref="VqVaeConfig.Materials"/> = K): [B, 1 + K, G, G, G] in storage order (y, z, x);
/// channel 0 is occupancy, channel c (1..K) is 1 where the voxel holds block value c.
/// </summary>
public static class MaterialTensors
{
    /// <summary>Grids with blocks to [B, 1 + K, G, G, G]. A block whose value is above K has no channel: refused.</summary>
    public static Tensor Input(IReadOnlyList<MaterialGrid> grids, int materials, Device? device = null)
    {
        if (grids.Count == 0) throw new ArgumentException("No grids.", nameof(grids));
        int g = grids[0].SizeX, volume = g * g * g, channels = 1 + materials;
        var data = new float[grids.Count * channels * volume];
        for (int b = 0; b < grids.Count; b++)
        {
            var grid = grids[b];
            if (grid.SizeX != g || grid.SizeY != g || grid.SizeZ != g) throw new ArgumentException("Every grid must be the same cube.", nameof(grids));
            int baseAt = b * channels * volume;
            for (int i = 0; i < volume; i++)
            {
                int m = (int)grid.At(i);
                if (m == 0) continue;
                if (m > materials) throw new ArgumentException($"Block {BlockMaterials.Name((BlockMaterial)m)} has no channel in a {materials}-class material channel.", nameof(grids));
                data[baseAt + i] = 1f;
                data[baseAt + m * volume + i] = 1f;
            }
        }
        return tensor(data, new long[] { grids.Count, channels, g, g, g }, device: device);
    }

    /// <summary>
    /// Grids with blocks to the painter's input and targets: occupancy [B, 1, G, G, G] (0/1 floats) and block classes
    /// [B, G, G, G] (int64, class c is block value c + 1; 0 on empty voxels, which the loss does not count). A block
    /// whose value is above <paramref name="blocks"/> has no class: refused.
    /// </summary>
    public static (Tensor Occupancy, Tensor Classes) Targets(IReadOnlyList<MaterialGrid> grids, int blocks, Device? device = null)
    {
        if (grids.Count == 0) throw new ArgumentException("No grids.", nameof(grids));
        int g = grids[0].SizeX, volume = g * g * g;
        var occupancy = new float[grids.Count * volume];
        var classes = new long[grids.Count * volume];
        for (int b = 0; b < grids.Count; b++)
        {
            var grid = grids[b];
            if (grid.SizeX != g || grid.SizeY != g || grid.SizeZ != g) throw new ArgumentException("Every grid must be the same cube.", nameof(grids));
            for (int i = 0; i < volume; i++)
            {
                int m = (int)grid.At(i);
                if (m == 0) continue;
                if (m > blocks) throw new ArgumentException($"Block {BlockMaterials.Name((BlockMaterial)m)} has no class among {blocks} block classes.", nameof(grids));
                occupancy[b * volume + i] = 1f;
                classes[b * volume + i] = m - 1;
            }
        }
        return (tensor(occupancy, new long[] { grids.Count, 1, g, g, g }, device: device),
                tensor(classes, new long[] { grids.Count, g, g, g }, device: device));
    }

    /// <summary>
    /// Cross-entropy of block logits [B, K, G, G, G] against classes [B, G, G, G] on the occupied voxels only
    /// (<paramref name="occupied"/> [B, G, G, G], 1 where occupied): an empty voxel has no block, and an all-empty
    /// batch adds 0. The material channel's loss and the painter's.
    /// </summary>
    public static Tensor OccupiedCrossEntropy(Tensor blockLogits, Tensor classes, Tensor occupied)
    {
        using var perVoxel = nn.functional.cross_entropy(blockLogits, classes, reduction: nn.Reduction.None);
        using var masked = perVoxel * occupied;
        using var sum = masked.sum();
        using var count = occupied.sum().clamp_min(1f);
        return sum / count;
    }

    /// <summary>
    /// The class of every voxel: the arg max over the channels of [B, K, G, G, G], as [B, G, G, G]. Taken over the last
    /// axis of a channels-last copy: libtorch's CPU arg max over a middle axis is about ten times slower (a painter's
    /// [1, 6, 32^3] logits 6.1 ms against 0.7 ms, [16, 6, 32^3] 97 ms against 5.6 ms; measured 2026-12-07 on this
    /// project's 2-core VM), the same indices (ties to the first, as both take).
    /// </summary>
    public static Tensor ClassOfVoxels(Tensor logits)
    {
        using var channelsLast = logits.movedim([1], [-1]).contiguous();
        return channelsLast.argmax(-1);
    }

    /// <summary>Occupancy probabilities [B, 1, G, G, G] and block classes [B, G, G, G] (0-based) to grids with blocks.</summary>
    public static List<MaterialGrid> ToGrids(Tensor occupancy, Tensor classes)
    {
        int b = (int)occupancy.shape[0], g = (int)occupancy.shape[2], volume = g * g * g;
        var p = occupancy.cpu().data<float>().ToArray();
        var c = classes.cpu().data<long>().ToArray();
        var grids = new List<MaterialGrid>(b);
        for (int n = 0; n < b; n++)
        {
            var grid = new MaterialGrid(g);
            for (int i = 0; i < volume; i++)
                if (p[n * volume + i] > 0.5f) grid.SetIndex(i, (BlockMaterial)(c[n * volume + i] + 1));
            grids.Add(grid);
        }
        return grids;
    }
}
