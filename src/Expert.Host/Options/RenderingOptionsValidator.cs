using Expert.VqVae.Rendering;
using Microsoft.Extensions.Options;

namespace Expert.Host.Options;

/// <summary>Checks <see cref="RenderingOptions"/> at start; each message says what to change.</summary>
internal sealed class RenderingOptionsValidator : IValidateOptions<RenderingOptions>
{
    private const int PixelFloor = 16;
    private const int PixelCeiling = 4096;

    public ValidateOptionsResult Validate(string? name, RenderingOptions o)
    {
        var errors = new List<string>();
        string known = string.Join(", ", RenderViews.All.Select(v => v.ToName()));
        string[] names = (o.DefaultViews ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
            errors.Add($"Rendering:DefaultViews is empty: list one or more of {known}, comma separated (Rendering__DefaultViews).");
        foreach (string view in names)
        {
            if (!RenderViews.TryParse(view, out _))
                errors.Add($"Rendering:DefaultViews names '{view}', which is not a view: use {known} (Rendering__DefaultViews).");
        }
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Length)
            errors.Add("Rendering:DefaultViews names a view twice: list each view once (Rendering__DefaultViews).");

        if (o.MinSize < PixelFloor || o.MaxSize > PixelCeiling || o.MinSize > o.MaxSize)
            errors.Add($"Rendering:MinSize ({o.MinSize}) and Rendering:MaxSize ({o.MaxSize}) must satisfy {PixelFloor} <= MinSize <= MaxSize <= {PixelCeiling} pixels.");
        else if (o.DefaultSize < o.MinSize || o.DefaultSize > o.MaxSize)
            errors.Add($"Rendering:DefaultSize is {o.DefaultSize}: set it between Rendering:MinSize ({o.MinSize}) and Rendering:MaxSize ({o.MaxSize}).");
        if (o.Supersample is < 1 or > 4)
            errors.Add($"Rendering:Supersample is {o.Supersample}: set it to 1..4 (Rendering__Supersample).");
        if (o.MaxConcurrent is < 1 or > 256)
            errors.Add($"Rendering:MaxConcurrent is {o.MaxConcurrent}: set it to 1..256 renders at once, about the number of cores (Rendering__MaxConcurrent).");
        if (o.MaxQueue is < 0 or > 100_000)
            errors.Add($"Rendering:MaxQueue is {o.MaxQueue}: set it to 0..100000 waiting calls (Rendering__MaxQueue).");
        if (o.MaxBuildSteps is < 1 or > 10_000_000)
            errors.Add($"Rendering:MaxBuildSteps is {o.MaxBuildSteps}: set it to 1..10000000 steps (Rendering__MaxBuildSteps).");
        if (!double.IsFinite(o.MaxRenderMegapixels) || o.MaxRenderMegapixels is < 1 or > 100_000)
            errors.Add($"Rendering:MaxRenderMegapixels is {o.MaxRenderMegapixels}: set it to 1..100000 million render units admitted at once (per view: pixels drawn + grid cells; a 1024 px view at Supersample 2 of a 32^3 grid is 4.2, any view of a 256^3 grid at least 16.8) (Rendering__MaxRenderMegapixels).");
        if (!double.IsFinite(o.SecondsPerMegapixel) || o.SecondsPerMegapixel is <= 0 or > 10)
            errors.Add($"Rendering:SecondsPerMegapixel is {o.SecondsPerMegapixel}: set it to a number in (0, 10], the render seconds per million render units; about 0.03 on 2 CPU cores (Rendering__SecondsPerMegapixel).");
        if (!double.IsFinite(o.SecondsPerBuildOrder) || o.SecondsPerBuildOrder is <= 0 or > 60)
            errors.Add($"Rendering:SecondsPerBuildOrder is {o.SecondsPerBuildOrder}: set it to a number in (0, 60], the seconds one build order takes (Rendering__SecondsPerBuildOrder).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
