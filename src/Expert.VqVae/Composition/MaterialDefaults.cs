using Expert.VqVae.Materials;

namespace Expert.VqVae.Composition;

/// <summary>
/// The convention for the material slots a text leaves unsaid (COMPOSITION.md, "What the words allow"), so that the
/// words decide every block: the walls take the block the text names for them ("stone walls", "made of sandstone", "a
/// cobbled house"), or <see cref="DefaultWalls"/> when it names none; every other slot the text does not name takes
/// that main block, the roof and a dome included, or, where the grammar does not allow it in that slot
/// (<see cref="ComposedSpec.Allowed"/>: no plank towers, no log roof, no wooden chimney), its kin (planks and logs,
/// cobblestone and stone, sandstone to stone), and a chimney of wooden walls is cobblestone. Windows are always glass.
/// The corpus generator makes every record's blocks by it, so a parser of the words plus this convention gives
/// exactly a record's blocks (tested: <c>MaterialDefaultsTests</c>).
/// </summary>
public static class MaterialDefaults
{
    /// <summary>
    /// The walls' block when the text names none: oak planks, the block the pipeline's creation task builds with
    /// when a description names no material (<c>CreationTask.Material</c>) and the first block of the palette.
    /// </summary>
    public const BlockMaterial DefaultWalls = BlockMaterial.OakPlanks;

    /// <summary>The building's main block: the walls' block the text names, else <see cref="DefaultWalls"/>.</summary>
    public static BlockMaterial MainBlock(IReadOnlyDictionary<MaterialSlot, BlockMaterial> stated)
    {
        ArgumentNullException.ThrowIfNull(stated);
        return stated.TryGetValue(MaterialSlot.Walls, out var walls) ? walls : DefaultWalls;
    }

    /// <summary>The block an unsaid <paramref name="slot"/> takes on a building whose main block is <paramref name="main"/>.</summary>
    public static BlockMaterial For(MaterialSlot slot, BlockMaterial main)
    {
        if (slot == MaterialSlot.Walls) return main;
        var allowed = ComposedSpec.Allowed(slot);
        if (main != BlockMaterial.Glass && allowed.Contains(main)) return main;
        var kin = Kin(main);
        return allowed.Contains(kin) ? kin : BlockMaterial.Cobblestone; // only a chimney of wooden walls gets here
    }

    /// <summary>The block of every slot: the stated one, else the convention's.</summary>
    public static IReadOnlyDictionary<MaterialSlot, BlockMaterial> Resolve(IReadOnlyDictionary<MaterialSlot, BlockMaterial> stated)
    {
        var main = MainBlock(stated);
        return Enum.GetValues<MaterialSlot>().ToDictionary(s => s, s => stated.TryGetValue(s, out var m) ? m : For(s, main));
    }

    /// <summary>The building with every slot's block set by <see cref="Resolve"/> (its shape and parts kept).</summary>
    public static ComposedSpec Apply(ComposedSpec spec, IReadOnlyDictionary<MaterialSlot, BlockMaterial> stated)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var (slot, block) in Resolve(stated)) spec = spec.WithMaterial(slot, block);
        return spec;
    }

    /// <summary>The same for what <see cref="ComposedDescriptionParser.Parse"/> read from a text.</summary>
    public static ComposedSpec Apply(ComposedSpec spec, ParsedComposition parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return Apply(spec, parsed.Materials);
    }

    /// <summary>The nearest block of the same kind: planks and logs, cobblestone and stone; sandstone and glass to stone.</summary>
    private static BlockMaterial Kin(BlockMaterial b) => b switch
    {
        BlockMaterial.OakPlanks => BlockMaterial.OakLog,
        BlockMaterial.OakLog => BlockMaterial.OakPlanks,
        BlockMaterial.Stone => BlockMaterial.Cobblestone,
        _ => BlockMaterial.Stone,
    };
}
