namespace Expert.VqVae.Rendering;

/// <summary>
/// A named camera on an <see cref="Voxels.OccupancyGrid"/>. Every view is an orthographic projection;
/// the frames are documented in Rendering/RENDERS.md. In short (grid frame: y up):
/// <list type="bullet">
/// <item><see cref="Front"/>: camera on the +z side looking along -z; image right = +x, image up = +y.</item>
/// <item><see cref="Back"/>: camera on the -z side looking along +z; image right = -x, image up = +y.</item>
/// <item><see cref="Side"/>: camera on the +x side looking along -x; image right = -z, image up = +y.</item>
/// <item><see cref="Top"/>: camera above looking down (-y); image right = +x, image up = -z (the front, +z, is at the bottom).</item>
/// <item><see cref="Isometric"/>: camera at the (+x, +y, +z) corner looking along (-1, -1, -1); shows the top, +z and +x faces.</item>
/// <item><see cref="IsometricBack"/>: camera at the (-x, +y, -z) corner looking along (+1, -1, +1); shows the top, -z and -x faces.</item>
/// </list>
/// </summary>
public enum RenderView
{
    Front,
    Side,
    Top,
    Isometric,
    Back,
    IsometricBack,
}

/// <summary>Names, parsing and the standard view sets of <see cref="RenderView"/>.</summary>
public static class RenderViews
{
    private static readonly RenderView[] DefaultSet = [RenderView.Front, RenderView.Side, RenderView.Top, RenderView.Isometric];

    private static readonly RenderView[] AllSet =
        [RenderView.Front, RenderView.Side, RenderView.Top, RenderView.Isometric, RenderView.Back, RenderView.IsometricBack];

    /// <summary>front, side, top, isometric: the four views the teacher gets by default.</summary>
    public static IReadOnlyList<RenderView> Default { get; } = Array.AsReadOnly(DefaultSet);

    /// <summary>Every view, defaults first.</summary>
    public static IReadOnlyList<RenderView> All { get; } = Array.AsReadOnly(AllSet);

    /// <summary>The lowercase wire name: front, side, top, isometric, back, isometric-back.</summary>
    public static string ToName(this RenderView view) => view switch
    {
        RenderView.Front => "front",
        RenderView.Side => "side",
        RenderView.Top => "top",
        RenderView.Isometric => "isometric",
        RenderView.Back => "back",
        RenderView.IsometricBack => "isometric-back",
        _ => throw new ArgumentOutOfRangeException(nameof(view), view, "Unknown view."),
    };

    /// <summary>
    /// Parses a wire name (see <see cref="ToName"/>). Case and surrounding spaces are ignored, and
    /// '_' is accepted for '-' ("isometric_back"). Numbers are refused.
    /// </summary>
    public static bool TryParse(string? name, out RenderView view)
    {
        view = default;
        if (string.IsNullOrWhiteSpace(name)) return false;
        string n = name.Trim().ToLowerInvariant().Replace('_', '-');
        foreach (RenderView v in AllSet)
        {
            if (v.ToName() == n)
            {
                view = v;
                return true;
            }
        }
        return false;
    }

    /// <inheritdoc cref="TryParse"/>
    /// <exception cref="ArgumentException">The name is not a view; the message lists the valid names.</exception>
    public static RenderView Parse(string name) =>
        TryParse(name, out RenderView view)
            ? view
            : throw new ArgumentException($"Unknown view '{name}'. Valid views: {string.Join(", ", AllSet.Select(v => v.ToName()))}.", nameof(name));
}
