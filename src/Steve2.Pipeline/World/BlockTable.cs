using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.World;

/// <summary>The block table: colour, hardness, tool tier, drop and solidity of every block (documented in BLOCKS.md).</summary>
public static class BlockTable
{
    private static readonly BlockInfo[] Infos = Build();
    private static readonly bool[] SolidFlags = Infos.Select(i => i.Solid).ToArray();

    private static BlockInfo[] Build()
    {
        var list = new BlockInfo[]
        {
            new(Block.Air, 0, 0, 0, 0, ToolTier.None, null, false),
            new(Block.Stone, 125, 125, 125, 1.5, ToolTier.Wood, Items.Cobblestone, true),
            new(Block.Dirt, 134, 96, 67, 0.5, ToolTier.None, Items.Dirt, true),
            new(Block.Grass, 95, 159, 53, 0.6, ToolTier.None, Items.Dirt, true),
            new(Block.Sand, 219, 207, 163, 0.5, ToolTier.None, Items.Sand, true),
            new(Block.Sandstone, 216, 200, 150, 0.8, ToolTier.Wood, Items.Sandstone, true),
            new(Block.Water, 52, 92, 196, -1, ToolTier.Unbreakable, null, false),
            new(Block.OakLog, 102, 81, 51, 2.0, ToolTier.None, Items.OakLog, true),
            new(Block.OakLeaves, 60, 120, 40, 0.2, ToolTier.None, null, true),
            new(Block.OakPlanks, 162, 130, 78, 2.0, ToolTier.None, Items.OakPlanks, true),
            new(Block.Cobblestone, 110, 110, 110, 2.0, ToolTier.Wood, Items.Cobblestone, true),
            new(Block.CoalOre, 70, 70, 70, 3.0, ToolTier.Wood, Items.Coal, true),
            new(Block.IronOre, 180, 140, 110, 3.0, ToolTier.Stone, Items.RawIron, true),
            new(Block.GoldOre, 230, 200, 60, 3.0, ToolTier.Iron, Items.RawGold, true),
            new(Block.DiamondOre, 90, 220, 220, 3.0, ToolTier.Iron, Items.Diamond, true),
            new(Block.Bedrock, 40, 40, 40, -1, ToolTier.Unbreakable, null, true),
            new(Block.Gravel, 136, 126, 126, 0.6, ToolTier.None, Items.Gravel, true),
            new(Block.Chest, 160, 110, 40, 2.5, ToolTier.None, null, true),
            new(Block.Snow, 245, 250, 250, 0.2, ToolTier.None, null, true),
            new(Block.CraftingTable, 140, 100, 60, 2.5, ToolTier.None, Items.CraftingTable, true),
            new(Block.Glass, 200, 230, 235, 0.3, ToolTier.None, null, true),
            new(Block.Torch, 255, 210, 80, 0, ToolTier.None, Items.Torch, false),
            new(Block.Cactus, 80, 140, 50, 0.4, ToolTier.None, "cactus", true),
        };
        var table = new BlockInfo[256];
        foreach (var info in list) table[(byte)info.Block] = info;
        for (int i = 0; i < table.Length; i++)
            table[i] ??= new BlockInfo((Block)i, 255, 0, 255, 0, ToolTier.None, null, true);
        return table;
    }

    public static BlockInfo Get(Block block) => Infos[(byte)block];

    /// <summary>Every block of the <see cref="Block"/> enum with its properties, in enum order.</summary>
    public static IEnumerable<BlockInfo> All => Enum.GetValues<Block>().Select(Get);

    public static bool IsSolid(Block block) => SolidFlags[(byte)block];

    /// <summary>The best pickaxe tier among the tools in an inventory (None when there is no pickaxe).</summary>
    public static ToolTier BestTool(IReadOnlyDictionary<string, int> inventory)
    {
        if (inventory.ContainsKey(Items.IronPickaxe)) return ToolTier.Iron;
        if (inventory.ContainsKey(Items.StonePickaxe)) return ToolTier.Stone;
        if (inventory.ContainsKey(Items.WoodenPickaxe)) return ToolTier.Wood;
        return ToolTier.None;
    }

    /// <summary>The pickaxe item of a tier ("stone_pickaxe" for Stone).</summary>
    public static string PickaxeOf(ToolTier tier) => tier switch
    {
        ToolTier.Wood => Items.WoodenPickaxe,
        ToolTier.Stone => Items.StonePickaxe,
        ToolTier.Iron => Items.IronPickaxe,
        _ => "no tool",
    };
}
