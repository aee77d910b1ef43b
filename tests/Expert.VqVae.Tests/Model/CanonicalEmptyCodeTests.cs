using Expert.VqVae.Training;
using Expert.VqVae.Voxels;
using static TorchSharp.torch;

namespace Expert.VqVae.Tests.Model;

[Collection(TorchCollection.Name)]
public class CanonicalEmptyCodeTests
{
    [Fact]
    public void Every_all_empty_block_gets_the_most_common_empty_code_and_occupied_blocks_keep_theirs()
    {
        var config = TinyModels.VqVae;                       // 16^3 grid, 4^3 codes of 4^3 voxels
        var grid = new OccupancyGrid(16);
        grid[1, 1, 1] = true;                                 // block (0, 0, 0) occupied
        grid[13, 9, 6] = true;                                // block x 3, y 2, z 1 occupied
        var codes = new long[64];
        for (int i = 0; i < 64; i++) codes[i] = i % 3 == 0 ? 5 : 7 + i % 2;   // empty space spread over 5, 7, 8
        int occupiedA = 0, occupiedB = 3 + 4 * (1 + 4 * 2);
        codes[occupiedA] = 30;
        codes[occupiedB] = 31;
        using var t = tensor(codes, new long[] { 1, 4, 4, 4 });

        long canonical = ImaginationTrainer.CanonicalizeEmptyBlocks(t, [grid], config);

        var after = t.reshape(-1).data<long>().ToArray();
        var emptyCodes = codes.Where((_, i) => i != occupiedA && i != occupiedB).GroupBy(c => c).MaxBy(g => g.Count())!.Key;
        Assert.Equal(emptyCodes, canonical);
        Assert.Equal(30, after[occupiedA]);
        Assert.Equal(31, after[occupiedB]);
        Assert.Equal(62, after.Count(c => c == canonical));
    }
}
