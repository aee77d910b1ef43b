using Expert.VqVae.Rendering;

namespace Expert.VqVae.Tests.Rendering;

public class RenderViewTests
{
    [Fact]
    public void Names_RoundTrip()
    {
        foreach (var view in Enum.GetValues<RenderView>())
        {
            string name = view.ToName();
            Assert.Equal(name, name.ToLowerInvariant());
            Assert.Equal(view, RenderViews.Parse(name));
        }
        Assert.Equal(Enum.GetValues<RenderView>().Length, RenderViews.All.Count);
    }

    [Theory]
    [InlineData("front", RenderView.Front)]
    [InlineData(" Side ", RenderView.Side)]
    [InlineData("TOP", RenderView.Top)]
    [InlineData("isometric", RenderView.Isometric)]
    [InlineData("isometric_back", RenderView.IsometricBack)]
    [InlineData("isometric-back", RenderView.IsometricBack)]
    [InlineData("back", RenderView.Back)]
    public void TryParse_AcceptsWireNames(string name, RenderView expected)
    {
        Assert.True(RenderViews.TryParse(name, out var view));
        Assert.Equal(expected, view);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("Isometric2")]
    [InlineData("perspective")]
    public void TryParse_RefusesOtherText(string? name)
    {
        Assert.False(RenderViews.TryParse(name, out _));
    }

    [Fact]
    public void Parse_ListsTheValidNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => RenderViews.Parse("diagonal"));
        Assert.Contains("isometric-back", ex.Message);
    }

    [Fact]
    public void DefaultViews_AreFrontSideTopIsometric()
    {
        Assert.Equal([RenderView.Front, RenderView.Side, RenderView.Top, RenderView.Isometric], OccupancyRenderer.DefaultViews);
    }
}
