using Expert.VqVae.Corpus;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Composition;

/// <summary>What one generated grid gets right about one record.</summary>
/// <param name="Attributes">The stated attributes, measured on the generated occupancy (<see cref="AttributeMeasurer"/>).</param>
/// <param name="Parts">Every part the text names, scored against the reference building; empty when the record names none.</param>
/// <param name="MaterialVoxels">Voxels occupied in both the generated grid and the reference whose material was compared (0 when the generation has no materials).</param>
/// <param name="MaterialMatches">Of those, voxels with the reference's block.</param>
/// <param name="SlotVoxels">Per stated material slot (walls, roof, ...): the slot's voxels in the reference that are occupied in the generation.</param>
/// <param name="SlotMatches">Of those, voxels with the stated block.</param>
/// <param name="Reference">The building the text was measured against (the record's own, or the best-fitting variant for a partial text).</param>
/// <param name="HasMaterials">False when the generation carries occupancy only: material figures are then not measured (never guessed).</param>
public sealed record CompositionMeasurement(
    AttributeAgreement Attributes,
    IReadOnlyList<PartScore> Parts,
    int MaterialVoxels,
    int MaterialMatches,
    IReadOnlyDictionary<string, int> SlotVoxels,
    IReadOnlyDictionary<string, int> SlotMatches,
    ComposedSpec? Reference,
    bool HasMaterials)
{
    /// <summary>Matches / voxels; NaN when nothing was compared.</summary>
    public double MaterialAccuracy => MaterialVoxels == 0 ? double.NaN : (double)MaterialMatches / MaterialVoxels;
}

/// <summary>Figures over many records (the numbers <c>vqvae eval</c> reports for the v2 corpus).</summary>
public sealed record CompositionSummary
{
    public required int Records { get; init; }
    /// <summary>Share of named parts found (score at least <see cref="PartMeasurer.PresentMinScore"/>) among those the grid can show.</summary>
    public required double PartPresence { get; init; }
    public required IReadOnlyDictionary<string, double> PartPresenceByPart { get; init; }
    public required IReadOnlyDictionary<string, int> PartCounts { get; init; }
    /// <summary>Named parts the grids could not show (an occupancy-only grid and glass windows).</summary>
    public required int UnmeasurableParts { get; init; }
    /// <summary>Material accuracy on voxels occupied in both grids; NaN when no generation carried materials.</summary>
    public required double MaterialAccuracy { get; init; }
    /// <summary>Per stated slot: share of its voxels with the stated block.</summary>
    public required IReadOnlyDictionary<string, double> MaterialAccuracyBySlot { get; init; }
    /// <summary>
    /// Every stated slot together: share of the voxels of the slots a text names (occupied in both grids) with the stated
    /// block; NaN when none. <see cref="MaterialAccuracy"/> also counts the slots a partial text leaves unsaid, whose
    /// blocks follow <see cref="MaterialDefaults"/> (COMPOSITION.md, "What the words allow").
    /// </summary>
    public double StatedMaterialAccuracy { get; init; } = double.NaN;
    /// <summary>
    /// Share of the voxels <see cref="MaterialAccuracy"/> counts that lie in a slot the text names explicitly. The rest are
    /// slots a partial text leaves unsaid (their blocks by the convention of <see cref="MaterialDefaults"/>: the walls'
    /// block) and the windows (always glass). NaN when nothing was measured.
    /// </summary>
    public double StatedShare { get; init; } = double.NaN;
    public required double AttributeAccuracy { get; init; }
    public required IReadOnlyDictionary<string, double> AttributeAccuracyByName { get; init; }
    public required IReadOnlyDictionary<string, int> AttributeCounts { get; init; }
    /// <summary>Generations that carried materials (the rest were measured on occupancy only).</summary>
    public required int WithMaterials { get; init; }
}

/// <summary>
/// The attribute, part and material measurer (Composition/COMPOSITION.md, "Measuring"): compares a
/// generated grid (with or without materials) with what a corpus record states. Attributes: the v1
/// <see cref="AttributeMeasurer"/> on the occupancy. Parts: <see cref="PartMeasurer"/> against a
/// reference building: the record's own when the text is fully specified; for a partial text, the
/// variant of the record's building over plan, storeys and roof that agrees with what the text states
/// and fits the generated occupancy best (IoU), so an unstated width is not held against the grid.
/// Materials: on voxels occupied in both, the generated block against the reference's; per stated
/// slot, the slot's voxels against the stated block. A generation without materials gets no material
/// figure (NaN), never a guessed one.
/// </summary>
public static class CompositionMeasurer
{
    public static CompositionMeasurement Measure(CorpusRecord record, OccupancyGrid occupancy, MaterialGrid? blocks = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(occupancy);
        if (blocks is not null && !blocks.ToOccupancy().Equals(occupancy))
            throw new ArgumentException("The blocks must have the occupancy of the grid.", nameof(blocks));
        var attributes = AttributeMeasurer.Agreement(record.Stated, occupancy);

        ComposedSpec? reference = null;
        if (record.Family == ComposedSpec.FamilyName && record.Params is not null &&
            ComposedSpec.TryFromParams(record.Params, out var spec, out _))
            reference = record.FullySpecified ? spec! : BestFit(spec!, record.Stated, occupancy);

        var parts = new List<PartScore>();
        if (reference is not null && record.Parts is not null)
        {
            var refOccupancy = CompositionCatalog.Build(reference).Occupancy;
            foreach (var name in record.Parts)
                if (Names.TryParse(name, out PartKind part) && reference.Has(part))
                    parts.Add(PartMeasurer.MeasurePart(reference, part, occupancy, blocks));
        }

        int voxels = 0, matches = 0;
        var slotVoxels = new Dictionary<string, int>();
        var slotMatches = new Dictionary<string, int>();
        if (blocks is not null)
        {
            // The reference's blocks: the composed reference, or the record's own blocks (a v1 family building).
            MaterialGrid? refBlocks = reference is not null ? CompositionCatalog.Build(reference).Blocks : record.Blocks;
            VoxelOwner[]? owners = reference is not null ? CompositionCatalog.Build(reference).Owners : null;
            if (refBlocks is not null)
            {
                var (dx, dz) = PartMeasurer.BestShift(refBlocks.ToOccupancy(), occupancy);
                for (int y = 0; y < refBlocks.SizeY; y++)
                    for (int z = 0; z < refBlocks.SizeZ; z++)
                        for (int x = 0; x < refBlocks.SizeX; x++)
                        {
                            var want = refBlocks[x, y, z];
                            var got = blocks[x + dx, y, z + dz];
                            if (want == BlockMaterial.Air || got == BlockMaterial.Air) continue;
                            voxels++;
                            if (want == got) matches++;
                            string? slot = owners is null ? "walls" : SlotName(owners[refBlocks.Index(x, y, z)]);
                            if (slot is not null && record.Materials is not null && record.Materials.TryGetValue(slot, out var stated))
                            {
                                slotVoxels[slot] = slotVoxels.GetValueOrDefault(slot) + 1;
                                if (BlockMaterials.Name(got) == stated) slotMatches[slot] = slotMatches.GetValueOrDefault(slot) + 1;
                            }
                        }
            }
        }
        return new CompositionMeasurement(attributes, parts, voxels, matches, slotVoxels, slotMatches, reference, blocks is not null);
    }

    /// <summary>Sums measurements into the report's figures.</summary>
    public static CompositionSummary Summarize(IReadOnlyList<CompositionMeasurement> ms)
    {
        var partFound = new Dictionary<string, int>();
        var partCount = new Dictionary<string, int>();
        int unmeasurable = 0;
        var attrMatched = new Dictionary<BuildingAttribute, int>();
        var attrStated = new Dictionary<BuildingAttribute, int>();
        var slotV = new Dictionary<string, int>();
        var slotM = new Dictionary<string, int>();
        long voxels = 0, matches = 0;
        foreach (var m in ms)
        {
            foreach (var p in m.Parts)
            {
                if (!p.Measurable) { unmeasurable++; continue; }
                string n = Names.Of(p.Part);
                partCount[n] = partCount.GetValueOrDefault(n) + 1;
                if (p.Present) partFound[n] = partFound.GetValueOrDefault(n) + 1;
            }
            foreach (var (a, ok) in m.Attributes.Matches)
            {
                attrStated[a] = attrStated.GetValueOrDefault(a) + 1;
                if (ok) attrMatched[a] = attrMatched.GetValueOrDefault(a) + 1;
            }
            voxels += m.MaterialVoxels;
            matches += m.MaterialMatches;
            foreach (var (s, v) in m.SlotVoxels) slotV[s] = slotV.GetValueOrDefault(s) + v;
            foreach (var (s, v) in m.SlotMatches) slotM[s] = slotM.GetValueOrDefault(s) + v;
        }
        int parts = partCount.Values.Sum(), stated = attrStated.Values.Sum();
        return new CompositionSummary
        {
            Records = ms.Count,
            PartPresence = parts == 0 ? double.NaN : (double)partFound.Values.Sum() / parts,
            PartPresenceByPart = partCount.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => (double)partFound.GetValueOrDefault(kv.Key) / kv.Value),
            PartCounts = partCount.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value),
            UnmeasurableParts = unmeasurable,
            MaterialAccuracy = voxels == 0 ? double.NaN : (double)matches / voxels,
            MaterialAccuracyBySlot = slotV.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => (double)slotM.GetValueOrDefault(kv.Key) / kv.Value),
            StatedMaterialAccuracy = slotV.Values.Sum() == 0 ? double.NaN : (double)slotM.Values.Sum() / slotV.Values.Sum(),
            StatedShare = voxels == 0 ? double.NaN : (double)slotV.Values.Sum() / voxels,
            AttributeAccuracy = stated == 0 ? double.NaN : (double)attrMatched.Values.Sum() / stated,
            AttributeAccuracyByName = attrStated.OrderBy(kv => kv.Key).ToDictionary(kv => AttributeNames.Key(kv.Key), kv => (double)attrMatched.GetValueOrDefault(kv.Key) / kv.Value),
            AttributeCounts = attrStated.OrderBy(kv => kv.Key).ToDictionary(kv => AttributeNames.Key(kv.Key), kv => kv.Value),
            WithMaterials = ms.Count(m => m.HasMaterials),
        };
    }

    /// <summary>The summary as Markdown, with the issue's targets; <paramref name="grids"/> names what was measured (generations, reconstructions).</summary>
    public static string ToMarkdown(CompositionSummary s, string grids = "generations")
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"{s.Records} records, {s.WithMaterials} {grids} with materials.",
            "",
            "| metric | value | target |",
            "|---|---|---|",
            string.Create(inv, $"| attribute accuracy (all stated) | {s.AttributeAccuracy:P1} | >= 92% |"),
        };
        foreach (var (n, a) in s.AttributeAccuracyByName) lines.Add(string.Create(inv, $"| - {n} ({s.AttributeCounts[n]} stated) | {a:P1} | {(n is "symmetry" or "roof" ? ">= 90%" : "")} |"));
        lines.Add(string.Create(inv, $"| part presence (named parts found) | {s.PartPresence:P1} | >= 85% |"));
        foreach (var (n, a) in s.PartPresenceByPart) lines.Add(string.Create(inv, $"| - {n} ({s.PartCounts[n]} named) | {a:P1} | |"));
        if (s.UnmeasurableParts > 0) lines.Add($"| named parts an occupancy grid cannot show (glass windows) | {s.UnmeasurableParts} | |");
        lines.Add(s.WithMaterials == 0
            ? $"| material accuracy on occupied voxels | not measured: the {grids} carry no materials | >= 90% |"
            : string.Create(inv, $"| material accuracy on occupied voxels | {s.MaterialAccuracy:P1} | >= 90% |"));
        if (s.WithMaterials > 0 && !double.IsNaN(s.StatedShare))
            lines.Add(string.Create(inv, $"| - share of those voxels in slots the text names | {s.StatedShare:P1} | |"));
        if (s.WithMaterials > 0 && !double.IsNaN(s.StatedMaterialAccuracy))
            lines.Add(string.Create(inv, $"| - every stated slot together | {s.StatedMaterialAccuracy:P1} | |"));
        foreach (var (n, a) in s.MaterialAccuracyBySlot) lines.Add(string.Create(inv, $"| - {n} (stated) | {a:P1} | |"));
        return string.Join('\n', lines) + "\n";
    }

    private static string? SlotName(VoxelOwner owner) => owner switch
    {
        VoxelOwner.Walls => "walls",
        VoxelOwner.Roof => "roof",
        VoxelOwner.Towers => "towers",
        VoxelOwner.Chimney => "chimney",
        VoxelOwner.Columns => "columns",
        VoxelOwner.Stairs => "stairs",
        _ => null,
    };

    /// <summary>
    /// The variant of <paramref name="spec"/> over width, depth, storeys and roof (parts and materials kept)
    /// that is valid, agrees with every stated attribute, and has the highest IoU with the grid.
    /// </summary>
    private static ComposedSpec BestFit(ComposedSpec spec, AttributeValues stated, OccupancyGrid grid)
    {
        ComposedSpec best = spec;
        double bestIoU = -1;
        foreach (int w in ComposedSpec.Sizes)
            foreach (int d in ComposedSpec.Sizes)
                for (int s = 1; s <= ComposedSpec.MaxStoreys; s++)
                    foreach (var roof in Enum.GetValues<ComposedRoof>())
                    {
                        if (stated.Storeys is { } n && n != s) continue;
                        if ((roof == ComposedRoof.Dome) != (spec.Roof == ComposedRoof.Dome)) continue;
                        if (stated.Roof is { } r && Names.AttributeOf(roof) != r) continue;
                        var c = spec with { Width = w, Depth = d, Storeys = s, Roof = roof };
                        if (!c.IsValid()) continue;
                        var truth = CompositionCatalog.TrueAttributes(c);
                        if (stated.HeightClass is { } h && truth.HeightClass != h) continue;
                        if (stated.Footprint is { } f && truth.Footprint != f) continue;
                        double iou = OccupancyGrid.IoU(CompositionCatalog.Build(c).Occupancy, grid);
                        if (iou > bestIoU) { bestIoU = iou; best = c; }
                    }
        return best;
    }
}
