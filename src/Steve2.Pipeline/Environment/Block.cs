namespace Steve2.Pipeline.Environment;

/// <summary>
/// The block table. One byte per block in storage; the numeric values are part of the recorded data
/// (trajectories, world files) and never change meaning: add new blocks at the end.
/// The colours, hardness, drops and which tool mines each are in World/BLOCKS.md and World/BlockTable.
/// </summary>
public enum Block : byte
{
    Air = 0,
    Stone = 1,
    Dirt = 2,
    Grass = 3,
    Sand = 4,
    Sandstone = 5,
    Water = 6,
    OakLog = 7,
    OakLeaves = 8,
    OakPlanks = 9,
    Cobblestone = 10,
    CoalOre = 11,
    IronOre = 12,
    GoldOre = 13,
    DiamondOre = 14,
    Bedrock = 15,
    Gravel = 16,
    Chest = 17,
    Snow = 18,
    CraftingTable = 19,
    Glass = 20,
    Torch = 21,
    Cactus = 22,
}
