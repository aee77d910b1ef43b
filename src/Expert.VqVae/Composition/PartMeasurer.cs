using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Composition;

/// <summary>One voxel of a part's signature: the value it must hold, and whether the part changes its occupancy (false: only its block).</summary>
public readonly record struct SignatureCell(int Index, BlockMaterial Value, bool OccupancyChanges, bool Contrast = false);

/// <summary>How much of one part's own voxels a grid holds.</summary>
/// <param name="Part">The part.</param>
/// <param name="Cells">Voxels that tell the part apart (the part's signature) and that the grid can show: all of them
/// for a grid with materials, only those whose occupancy the part changes for an occupancy grid.</param>
/// <param name="Held">Signature voxels the grid agrees with.</param>
/// <param name="ContrastCells">Contrast voxels (where a rival part would differ: a gate for a door, a pitched roof for a dome).</param>
/// <param name="ContrastHeld">Contrast voxels the grid agrees with.</param>
public sealed record PartScore(PartKind Part, int Cells, int Held, int ContrastCells = 0, int ContrastHeld = 0)
{
    /// <summary>
    /// Held / Cells, or the contrast share when that is lower (the part's voxels must be there and the
    /// rival's must not); NaN when the grid cannot show the part (an occupancy grid and a part that only
    /// changes materials).
    /// </summary>
    public double Score => Cells == 0 ? double.NaN
        : ContrastCells == 0 ? (double)Held / Cells
        : Math.Min((double)Held / Cells, (double)ContrastHeld / ContrastCells);

    /// <summary>True when the grid shows at least <see cref="PartMeasurer.PresentMinScore"/> of the signature.</summary>
    public bool Present => Cells > 0 && Score >= PartMeasurer.PresentMinScore;

    public bool Measurable => Cells > 0;
}

/// <summary>
/// Finds the parts of a composed building in a grid. A part's <b>signature</b> is the set of voxels in
/// which the reference building (the one the text describes) differs from the same building without
/// that part, with the value each must have (a block, or air for an opening such as a door). A grid
/// shows the part when it agrees with at least <see cref="PresentMinScore"/> of the signature. For an
/// occupancy-only grid, only the signature voxels whose occupancy the part changes count (glass
/// windows set in a wall change only materials: an occupancy grid cannot show them, and the score is
/// NaN). The grid is first aligned to the reference by the shift in x and z (-1..1) that maximises
/// their IoU. Composition/COMPOSITION.md has the method.
/// </summary>
public static class PartMeasurer
{
    public const double PresentMinScore = 0.75;

    /// <summary>
    /// The signature of <paramref name="part"/> in <paramref name="reference"/> (which must have it): the voxels
    /// where the building differs from itself without the part, with the value each must have, and whether
    /// the part changes that voxel's occupancy (or only its block). Parts that exclude rivals add contrast
    /// voxels: where the rival building (a gate for a door, a pitched or pyramidal roof for a dome) would
    /// differ in occupancy, the reference's value, so a gabled roof is not read as a dome nor a gate as a door.
    /// </summary>
    public static IReadOnlyList<SignatureCell> Signature(ComposedSpec reference, PartKind part)
    {
        if (!reference.Has(part)) throw new ArgumentException($"The reference building has no {Names.Of(part)}.", nameof(part));
        var with = CompositionCatalog.Build(reference).Blocks;
        var withoutSpec = CompositionGrammar.Without(reference, part);
        var without = CompositionCatalog.Build(withoutSpec).Blocks;
        var list = new List<SignatureCell>();
        // Both are centred on their own bounding boxes; a part that widens the building shifts the rest,
        // so compare in the frame of the building with the part.
        var withOccupancy = with.ToOccupancy();
        var (dx, dz) = BestShift(withOccupancy, without.ToOccupancy());
        for (int y = 0; y < with.SizeY; y++)
            for (int z = 0; z < with.SizeZ; z++)
                for (int x = 0; x < with.SizeX; x++)
                {
                    var a = with[x, y, z];
                    var b = without[x + dx, y, z + dz];
                    if (a != b) list.Add(new SignatureCell(with.Index(x, y, z), a, (a == BlockMaterial.Air) != (b == BlockMaterial.Air)));
                }
        // Contrast with the parts this one excludes: the voxels where the rival would differ from the
        // reference, with the reference's value (a door is not a gate: the wall beside it stands).
        var listed = new HashSet<int>(list.Select(c => c.Index));
        foreach (var rival in Rivals(withoutSpec, part))
        {
            var alt = CompositionCatalog.Build(rival).Blocks;
            var (ax, az) = BestShift(withOccupancy, alt.ToOccupancy());
            for (int i = 0; i < with.Volume; i++)
            {
                int x = i % with.SizeX, z = i / with.SizeX % with.SizeZ, y = i / (with.SizeX * with.SizeZ);
                var a = with.At(i);
                var b = alt[x + ax, y, z + az];
                bool occupancyDiffers = (a == BlockMaterial.Air) != (b == BlockMaterial.Air);
                if (occupancyDiffers && listed.Add(i)) list.Add(new SignatureCell(i, a, true, Contrast: true));
            }
        }
        return list;
    }

    /// <summary>The buildings a part is told apart from: a door from a gate and back, a dome from a pitched or pyramidal roof.</summary>
    private static IEnumerable<ComposedSpec> Rivals(ComposedSpec without, PartKind part)
    {
        switch (part)
        {
            case PartKind.Door: yield return CompositionGrammar.With(without, PartKind.Gate); break;
            case PartKind.Gate: yield return CompositionGrammar.With(without, PartKind.Door); break;
            case PartKind.Dome:
                yield return without with { Roof = ComposedRoof.Pitched };
                if (without.Width == without.Depth) yield return without with { Roof = ComposedRoof.Pyramidal };
                break;
        }
    }

    /// <summary>Scores every part of <paramref name="reference"/> on a grid with materials.</summary>
    public static IReadOnlyList<PartScore> Measure(ComposedSpec reference, MaterialGrid grid) =>
        Measure(reference, grid.ToOccupancy(), grid);

    /// <summary>Scores every part of <paramref name="reference"/> on an occupancy grid (materials unknown).</summary>
    public static IReadOnlyList<PartScore> Measure(ComposedSpec reference, OccupancyGrid grid) => Measure(reference, grid, null);

    /// <summary>Scores one part that <paramref name="reference"/> has; <paramref name="blocks"/> null for an occupancy-only grid.</summary>
    public static PartScore MeasurePart(ComposedSpec reference, PartKind part, OccupancyGrid occupancy, MaterialGrid? blocks)
    {
        var refOccupancy = CompositionCatalog.Build(reference).Occupancy;
        var (dx, dz) = BestShift(refOccupancy, occupancy);
        return Score(reference, part, occupancy, blocks, dx, dz);
    }

    private static IReadOnlyList<PartScore> Measure(ComposedSpec reference, OccupancyGrid occupancy, MaterialGrid? blocks)
    {
        var refOccupancy = CompositionCatalog.Build(reference).Occupancy;
        var (dx, dz) = BestShift(refOccupancy, occupancy);
        return reference.Parts.Order().Select(p => Score(reference, p, occupancy, blocks, dx, dz)).ToArray();
    }

    private static PartScore Score(ComposedSpec reference, PartKind part, OccupancyGrid occupancy, MaterialGrid? blocks, int dx, int dz)
    {
        var with = CompositionCatalog.Build(reference).Occupancy;
        int cells = 0, held = 0, contrast = 0, contrastHeld = 0;
        foreach (var cell in Signature(reference, part))
        {
            if (blocks is null && !cell.OccupancyChanges) continue; // only the material differs
            int x = cell.Index % with.SizeX, z = cell.Index / with.SizeX % with.SizeZ, y = cell.Index / (with.SizeX * with.SizeZ);
            int gx = x + dx, gz = z + dz;
            bool ok = blocks is not null && !cell.Contrast ? blocks[gx, y, gz] == cell.Value : occupancy[gx, y, gz] == (cell.Value != BlockMaterial.Air);
            if (cell.Contrast) { contrast++; if (ok) contrastHeld++; }
            else { cells++; if (ok) held++; }
        }
        return new PartScore(part, cells, held, contrast, contrastHeld);
    }

    /// <summary>The shift (dx, dz) in -1..1 that maximises IoU(reference, grid shifted by -d); ties prefer no shift.</summary>
    public static (int Dx, int Dz) BestShift(OccupancyGrid reference, OccupancyGrid grid)
    {
        var occupied = new List<(int X, int Y, int Z)>();
        var cells = reference.Cells;
        for (int i = 0; i < cells.Length; i++)
            if (cells[i]) occupied.Add((i % reference.SizeX, i / (reference.SizeX * reference.SizeZ), i / reference.SizeX % reference.SizeZ));
        int gridCount = grid.Count();
        (int, int) best = (0, 0);
        double bestIoU = -1;
        foreach (var (dx, dz) in new[] { (0, 0), (-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1) })
        {
            // Cells of the grid that fall outside the reference's frame when shifted still count in the union.
            int inter = 0;
            foreach (var (x, y, z) in occupied) if (grid[x + dx, y, z + dz]) inter++;
            int union = occupied.Count + gridCount - inter;
            double iou = union == 0 ? 1 : (double)inter / union;
            if (iou > bestIoU + 1e-12) { bestIoU = iou; best = (dx, dz); }
        }
        return best;
    }
}
