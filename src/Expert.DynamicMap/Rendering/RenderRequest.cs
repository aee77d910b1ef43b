using Expert.DynamicMap.Geometry;

namespace Expert.DynamicMap.Rendering;

/// <summary>What the picture's ground colours show.</summary>
public enum RenderBase
{
    /// <summary>Surface block colour, shaded by height.</summary>
    Surface = 1,
    /// <summary>Height as a grey ramp.</summary>
    Height = 2,
    /// <summary>Ticks since last seen: fresh is bright, stale is dark.</summary>
    Staleness = 3,
    /// <summary>Visit counts as a heat ramp over the surface.</summary>
    Visits = 4,
}

/// <summary>
/// RenderMap's request. Region null: everything observed (chunk bounds, at most MaxRegionSide across),
/// with its vertical range. North (-z) is up, east (+x) right.
/// </summary>
public sealed record RenderRequest(
    MapRegion? Region = null,
    int WidthPx = 512,
    int HeightPx = 512,
    RenderBase Base = RenderBase.Surface,
    bool Trails = true,
    bool Agents = true,
    bool Frontiers = true,
    bool Landmarks = true,
    bool Sounds = true,
    bool Legend = true,
    bool ScaleBar = true);
