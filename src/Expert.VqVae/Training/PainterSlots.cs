using Expert.VqVae.Composition;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;
using static TorchSharp.torch;

namespace Expert.VqVae.Training;

/// <summary>
/// The targets of the factored painter's slot loss (<c>--painter-slot-weight</c>, MODEL.md "4b"), two halves: slot s of a
/// voxel is the part that set it, <see cref="VoxelOwner"/> value s + 1 (walls 0, roof 1, towers 2, chimney 3, columns 4,
/// stairs 5, windows 6; <see cref="Targets"/>); and the block of slot s is the one the building gives that part, the
/// <see cref="MaterialSlot"/> of the same number, glass for the windows (<see cref="BlockTargets"/>), for the parts the
/// building has. Known only for composed records whose building, built again from their params, has exactly the record's
/// blocks; a v1 family record, or one that does not build back, teaches the slots nothing. With <c>windowPositions</c>
/// (<c>--painter-window-positions</c>) the windows slot is where the grammar puts windows whether or not the building has
/// them (<see cref="WindowPositions"/>), and its block glass when it has them, else the walls' block.
/// </summary>
public sealed class PainterSlots
{
    /// <summary>The parts that own voxels: the slots the loss names.</summary>
    public static readonly int Owners = Enum.GetValues<VoxelOwner>().Length - 1;

    private readonly Dictionary<int, bool> _builds = new();   // whether a shape builds back to its blocks (owners are built again when asked: 32 KB a shape)
    private readonly TrainingSet _data;
    private readonly bool _windowPositions;

    public PainterSlots(TrainingSet data, bool windowPositions = false)
    {
        _data = data;
        _windowPositions = windowPositions;
    }

    /// <summary>Shapes of the set whose owners are known (every composed shape is built once; about 0.2 ms each).</summary>
    public int Known => Enumerable.Range(0, _data.Grids.Count).Count(BuildsBack);

    /// <summary>The owner of every voxel of shape <paramref name="gridIndex"/> (storage order), or null when unknown.</summary>
    public VoxelOwner[]? OwnersOf(int gridIndex)
    {
        if (!BuildsBack(gridIndex)) return null;
        var spec = _data.Composed[gridIndex]!;
        var owners = CompositionCatalog.Build(spec).Owners;
        return _windowPositions ? WindowPositions(spec, owners) : owners;
    }

    /// <summary>Whether shape <paramref name="gridIndex"/> is a composed building whose params build back to its blocks (built once, then remembered).</summary>
    private bool BuildsBack(int gridIndex)
    {
        if (_data.Composed[gridIndex] is not { } spec || _data.Blocks[gridIndex] is not { } blocks) return false;
        if (!_builds.TryGetValue(gridIndex, out bool builds))
            _builds[gridIndex] = builds = CompositionCatalog.Build(spec).Blocks.Equals(blocks);
        return builds;
    }

    /// <summary>
    /// The owners of a building with the wall voxels that the grammar would glaze, had the building windows, owned by
    /// <see cref="VoxelOwner.Windows"/>: the same as <paramref name="owners"/> for a building with windows (the panes replace
    /// wall voxels, so the occupancy is the same either way).
    /// </summary>
    public static VoxelOwner[] WindowPositions(ComposedSpec spec, VoxelOwner[] owners)
    {
        if (spec.Has(PartKind.Windows)) return owners;
        var glazed = CompositionCatalog.Build(spec with { Parts = new HashSet<PartKind>(spec.Parts) { PartKind.Windows } }).Owners;
        var result = (VoxelOwner[])owners.Clone();
        for (int v = 0; v < result.Length; v++)
            if (glazed[v] == VoxelOwner.Windows && owners[v] == VoxelOwner.Walls) result[v] = VoxelOwner.Windows;
        return result;
    }

    /// <summary>
    /// [B, S] int64 block classes (class c is block value c + 1) and [B, S] 0/1 floats, 1 where slot s is a part the building
    /// has (the walls and the roof always, the others with their part; slots past the seven parts never), for shapes
    /// <paramref name="gridIndices"/>.
    /// </summary>
    public (Tensor Classes, Tensor Known) BlockTargets(IReadOnlyList<int> gridIndices, int slots, Device device)
    {
        var classes = new long[gridIndices.Count * slots];
        var mask = new float[gridIndices.Count * slots];
        for (int b = 0; b < gridIndices.Count; b++)
        {
            if (!BuildsBack(gridIndices[b])) continue;
            var spec = _data.Composed[gridIndices[b]]!;
            foreach (var slot in spec.UsedSlots())
            {
                int s = (int)slot;   // MaterialSlot s is VoxelOwner s + 1
                if (s >= slots) continue;
                classes[b * slots + s] = (long)spec.MaterialOf(slot) - 1;
                mask[b * slots + s] = 1f;
            }
            int windows = (int)VoxelOwner.Windows - 1;
            if ((spec.Has(PartKind.Windows) || _windowPositions) && windows < slots)
            {
                var block = spec.Has(PartKind.Windows) ? BlockMaterial.Glass : spec.MaterialOf(MaterialSlot.Walls);
                classes[b * slots + windows] = (long)block - 1;
                mask[b * slots + windows] = 1f;
            }
        }
        return (tensor(classes, new long[] { gridIndices.Count, slots }, device: device), tensor(mask, new long[] { gridIndices.Count, slots }, device: device));
    }

    /// <summary>
    /// [B, G, G, G] int64 slot classes and [B, G, G, G] 0/1 floats, 1 where a voxel's owner is known, for shapes
    /// <paramref name="gridIndices"/> (before any mirroring: flip both as the blocks are flipped).
    /// </summary>
    public (Tensor Classes, Tensor Known) Targets(IReadOnlyList<int> gridIndices, Device device)
    {
        var first = _data.Grids[gridIndices[0]];
        int volume = first.SizeX * first.SizeY * first.SizeZ;
        var classes = new long[gridIndices.Count * volume];
        var mask = new float[gridIndices.Count * volume];
        for (int b = 0; b < gridIndices.Count; b++)
        {
            if (OwnersOf(gridIndices[b]) is not { } owners) continue;
            for (int v = 0; v < volume; v++)
                if (owners[v] != VoxelOwner.None)
                {
                    classes[b * volume + v] = (long)owners[v] - 1;
                    mask[b * volume + v] = 1f;
                }
        }
        var shape = new long[] { gridIndices.Count, first.SizeY, first.SizeZ, first.SizeX };
        return (tensor(classes, shape, device: device), tensor(mask, shape, device: device));
    }
}
