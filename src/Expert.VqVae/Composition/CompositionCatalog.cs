using System.Collections.Concurrent;
using Expert.VqVae.Corpus;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Composition;

/// <summary>
/// Draws composed buildings and gives their ground truth: the attributes (by the definitions of
/// Corpus/CORPUS_FORMAT.md applied to the exact grid), the parts and the materials. The combinations
/// are far too many to list (20,217,600 with their materials: COMPOSITION.md), so buildings are drawn, not enumerated.
/// </summary>
public static class CompositionCatalog
{
    /// <summary>Probability of each optional part in a drawn building.</summary>
    public const double PartChance = 0.4;

    private static readonly ConcurrentDictionary<ComposedSpec, ComposedBuilding> Cache = new();

    /// <summary>The built building (cached: at most 512 distinct specs, about 50 MB, are kept).</summary>
    public static ComposedBuilding Build(ComposedSpec spec)
    {
        if (Cache.Count > 512) Cache.Clear();
        return Cache.GetOrAdd(spec, CompositionGrammar.Build);
    }

    /// <summary>A valid building drawn uniformly over sizes, storeys, roofs and materials, each optional part with <see cref="PartChance"/>.</summary>
    internal static ComposedSpec Draw(DeterministicRandom rng)
    {
        while (true)
        {
            int w = rng.Pick(ComposedSpec.Sizes), d = rng.Pick(ComposedSpec.Sizes);
            var roofs = w == d
                ? new[] { ComposedRoof.Flat, ComposedRoof.Pitched, ComposedRoof.Pyramidal, ComposedRoof.Dome }
                : new[] { ComposedRoof.Flat, ComposedRoof.Pitched, ComposedRoof.Dome };
            var roof = rng.Pick(roofs);
            var parts = new HashSet<PartKind>();
            int entrance = rng.Next(3); // none, door, gate
            if (entrance == 1 || (entrance == 2 && w < 10)) parts.Add(PartKind.Door);
            else if (entrance == 2) parts.Add(PartKind.Gate);
            foreach (var p in new[] { PartKind.Windows, PartKind.CornerTowers, PartKind.Chimney, PartKind.Columns, PartKind.Eaves, PartKind.Wing })
                if (rng.Chance(PartChance)) parts.Add(p);
            if (roof == ComposedRoof.Flat && rng.Chance(PartChance)) parts.Add(PartKind.Battlements);
            if (parts.Contains(PartKind.Door) || parts.Contains(PartKind.Gate)) { if (rng.Chance(PartChance)) parts.Add(PartKind.Stairs); }
            if (roof == ComposedRoof.Dome) parts.Add(PartKind.Dome);
            var spec = new ComposedSpec { Width = w, Depth = d, Storeys = 1 + rng.Next(ComposedSpec.MaxStoreys), Roof = roof, Parts = parts };
            foreach (var slot in Enum.GetValues<MaterialSlot>())
            {
                var allowed = ComposedSpec.Allowed(slot).Where(m => slot != MaterialSlot.Roof || m != BlockMaterial.Glass || roof == ComposedRoof.Dome).ToArray();
                spec = spec.WithMaterial(slot, rng.Pick(allowed));
            }
            if (spec.IsValid()) return spec;
        }
    }

    /// <summary>A building of the split: training draws avoid every held-out pair; test draws contain <paramref name="pair"/> (or any pair when null).</summary>
    internal static ComposedSpec Draw(DeterministicRandom rng, CorpusSplit split, (string A, string B)? pair = null)
    {
        for (int attempt = 0; ; attempt++)
        {
            var spec = Draw(rng);
            if (InSplit(spec, split, pair)) return spec;
            if (attempt > 100_000) throw new InvalidOperationException($"No {split} building found for {pair}.");
        }
    }

    /// <summary>Whether a building belongs to the split: a training one holds no held-out pair; a test one holds <paramref name="pair"/> (or any pair when null).</summary>
    internal static bool InSplit(ComposedSpec spec, CorpusSplit split, (string A, string B)? pair = null) =>
        split == CorpusSplit.Train ? !CompositionSplits.IsTest(spec)
            : pair is { } p ? CompositionSplits.HeldOutPairsOf(spec).Contains(p) : CompositionSplits.IsTest(spec);

    /// <summary>
    /// The ground-truth attributes: height class (layers from y = 0 to the highest holding at least 3
    /// voxels) and footprint (exact x/z extents) from the grid; storeys, symmetry (symmetric unless it has
    /// a wing) and roof (null for a dome: the dome is a part) from the spec.
    /// </summary>
    public static AttributeValues TrueAttributes(ComposedSpec spec) => TrueAttributes(spec, Build(spec).Occupancy);

    private static AttributeValues TrueAttributes(ComposedSpec spec, OccupancyGrid grid)
    {
        var (ex, _, ez) = BuildingCatalog.BoundingExtents(grid);
        int height = 0;
        for (int y = 0; y < grid.SizeY; y++)
        {
            int n = 0;
            for (int z = 0; z < grid.SizeZ; z++) for (int x = 0; x < grid.SizeX; x++) if (grid[x, y, z]) n++;
            if (n >= 3) height = y + 1;
        }
        return new AttributeValues(
            AttributeThresholds.ClassifyHeight(height),
            spec.Storeys,
            AttributeThresholds.ClassifyFootprint(ex, ez),
            spec.Symmetric ? SymmetryKind.Symmetric : SymmetryKind.Asymmetric,
            Names.AttributeOf(spec.Roof));
    }
}
