using Expert.VqVae.Rendering;
using Expert.VqVae.Voxels;
using SkiaSharp;

namespace Expert.VqVae.Tests.Rendering;

public class ContactSheetTests
{
    private static readonly ContactSheetOptions Small = new() { TileSize = 64 };

    [Fact]
    public void SingleGridSheet_IsARowOfTilesUnderTitleAndHeader()
    {
        byte[] png = ContactSheet.RenderPng(SampleBuildings.House(16), null, "a small house", Small);
        using var image = TestImages.Decode(png);
        // gap 6 + 4 * (64 + 6) wide; gap 6 + title 24 + header 18 + (64 + 6) high
        Assert.Equal(286, image.Width);
        Assert.Equal(118, image.Height);
        Assert.Equal(new SKSizeI(286, 118), ContactSheet.Measure(1, 4, hasTitle: true, hasRowLabels: false, Small));
    }

    [Fact]
    public void ComparisonSheet_HasOneRowPerGrid()
    {
        var grids = new[] { SampleBuildings.House(16), SampleBuildings.House(20), new OccupancyGrid(16) };
        var views = new[] { RenderView.Front, RenderView.Isometric, RenderView.Top };
        using var image = TestImages.Decode(ContactSheet.RenderComparisonPng(grids, ["seed 1", "seed 2", "seed 3"], views, null, Small));
        // gap 6 + 3 * 70 wide; gap 6 + header 18 + 3 * (caption 18 + 64 + 6) high
        Assert.Equal(216, image.Width);
        Assert.Equal(6 + 18 + 3 * (18 + 64 + 6), image.Height);
        var measured = ContactSheet.Measure(3, 3, hasTitle: false, hasRowLabels: true, Small);
        Assert.Equal(image.Width, measured.Width);
        Assert.Equal(image.Height, measured.Height);
    }

    [Fact]
    public void Tiles_AreTheRendersOfEachView()
    {
        var grid = SampleBuildings.House(16);
        var views = new[] { RenderView.Front, RenderView.Isometric };
        using var sheet = TestImages.Decode(ContactSheet.RenderPng(grid, views, null, Small));
        for (int c = 0; c < views.Length; c++)
        {
            using var tile = TestImages.Decode(OccupancyRenderer.RenderPng(grid, views[c], new RenderOptions { Width = 64, Height = 64 }));
            int left = 6 + c * 70, top = 6 + 18;
            for (int y = 0; y < 64; y += 3)
                for (int x = 0; x < 64; x += 3)
                    Assert.Equal(tile.GetPixel(x, y), sheet.GetPixel(left + x, top + y));
        }
    }

    [Fact]
    public void Header_AndTitle_CarryText()
    {
        using var sheet = TestImages.Decode(ContactSheet.RenderPng(new OccupancyGrid(8), [RenderView.Front], "title", Small));
        int Dark(int top, int height)
        {
            int n = 0;
            for (int y = top; y < top + height; y++)
                for (int x = 0; x < sheet.Width; x++)
                    if (sheet.GetPixel(x, y).Red < 140) n++;
            return n;
        }
        Assert.True(Dark(6, 24) > 20, "no title text");
        Assert.True(Dark(30, 18) > 20, "no view label");
    }

    [Fact]
    public void Sheet_IsDeterministicAndThreadSafe()
    {
        var grid = SampleBuildings.Pagoda();
        byte[] first = ContactSheet.RenderPng(grid, RenderViews.All, "pagoda", Small);
        var copies = new byte[6][];
        Parallel.For(0, copies.Length, i => copies[i] = ContactSheet.RenderPng(grid, RenderViews.All, "pagoda", Small));
        foreach (byte[] copy in copies) Assert.Equal(first, copy);
    }

    [Fact]
    public void LongTitle_IsCutToFit()
    {
        string title = string.Concat(Enumerable.Repeat("a very long description ", 40));
        using var image = TestImages.Decode(ContactSheet.RenderPng(new OccupancyGrid(8), null, title, Small));
        Assert.Equal(286, image.Width);
    }

    [Fact]
    public void BadArguments_AreRefused()
    {
        var g = new OccupancyGrid(8);
        Assert.Throws<ArgumentException>(() => ContactSheet.RenderComparisonPng([g, g], ["only one"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContactSheet.RenderComparisonPng([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContactSheet.RenderPng(g, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContactSheet.RenderPng(g, null, null, new ContactSheetOptions { TileSize = 4 }));
        var many = Enumerable.Repeat(g, 64).ToArray();
        Assert.Throws<ArgumentOutOfRangeException>(() => ContactSheet.RenderComparisonPng(many, null, RenderViews.All, null, new ContactSheetOptions { TileSize = 1024 }));
    }
}
