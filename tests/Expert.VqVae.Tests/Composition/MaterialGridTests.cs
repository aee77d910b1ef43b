using System.Text.RegularExpressions;
using Expert.VqVae.Materials;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.Composition;

public class MaterialGridTests
{
    [Fact]
    public void PaletteAndIndicesRoundTripAndKeepTheOccupancy()
    {
        var g = new MaterialGrid(3, 2, 2);
        g[0, 0, 0] = BlockMaterial.Stone;
        g[2, 1, 1] = BlockMaterial.Glass;
        g[1, 0, 1] = BlockMaterial.OakPlanks;
        var (palette, indices) = g.PackBlocks();
        Assert.Equal([BlockMaterial.OakPlanks, BlockMaterial.Stone, BlockMaterial.Glass], palette);
        // Occupied voxels in index order: (0,0,0) = 0, (1,0,1) = 4, (2,1,1) = 11.
        Assert.Equal(new byte[] { 1, 0, 2 }, indices);
        var back = MaterialGrid.Unpack(g.ToOccupancy(), palette, indices);
        Assert.Equal(g, back);
        Assert.Throws<ArgumentException>(() => MaterialGrid.Unpack(g.ToOccupancy(), palette, indices.AsSpan(0, 2)));
        Assert.Throws<ArgumentException>(() => MaterialGrid.Unpack(g.ToOccupancy(), palette, new byte[] { 0, 3, 1 }));
        Assert.Throws<ArgumentException>(() => MaterialGrid.Unpack(g.ToOccupancy(), [BlockMaterial.Air, BlockMaterial.Stone], indices));
    }

    /// <summary>The palette's names and colours are the voxel world's (src/Steve2.Pipeline/World/BLOCKS.md), so the teacher can place them.</summary>
    [Fact]
    public void EveryBlockIsABlockOfTheWorldWithItsColour()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Expert.sln"))) dir = Path.GetDirectoryName(dir)!;
        string table = File.ReadAllText(Path.Combine(dir, "src", "Steve2.Pipeline", "World", "BLOCKS.md"));
        foreach (var block in BlockMaterials.Blocks)
        {
            var (r, g, b) = BlockMaterials.Colour(block);
            string row = $@"\|\s*\d+\s*\|\s*{Regex.Escape(BlockMaterials.Name(block))}\s*\|\s*{r}, {g}, {b}\s*\|";
            Assert.Matches(row, table);
        }
    }
}
