using Expert.VqVae.Corpus;

namespace Expert.VqVae.Features;

/// <summary>
/// What the feature net is trained to tell from the renders: the building family and four attributes
/// of the corpus's ground truth (<see cref="BuildingCatalog.TrueAttributes"/>) of the building meant, and
/// the quality of the build (<see cref="BuildDegradation.QualityClass"/>: 0 for a clean building). A head
/// whose attribute does not apply to the family (the roof of a wall) is <see cref="Ignore"/>d for that example.
/// </summary>
public static class FeatureLabels
{
    /// <summary>The label of a head that does not apply (left out of the loss and of the accuracy).</summary>
    public const long Ignore = -100;

    /// <summary>The heads, in the order of <see cref="FeatureNetConfig.HeadClasses"/> and of the logits.</summary>
    public static IReadOnlyList<string> Heads { get; } = ["family", "height", "footprint", "symmetry", "roof", "quality"];

    public static IReadOnlyList<int> HeadClasses { get; } =
    [
        Enum.GetValues<BuildingFamily>().Length, Enum.GetValues<HeightClass>().Length, Enum.GetValues<FootprintClass>().Length,
        Enum.GetValues<SymmetryKind>().Length, Enum.GetValues<RoofKind>().Length, BuildDegradation.QualityClasses,
    ];

    /// <summary>One label per head for a build of a catalog spec of quality class <paramref name="quality"/>.</summary>
    public static long[] Of(BuildingSpec spec, int quality = 0)
    {
        AttributeValues a = BuildingCatalog.TrueAttributes(spec);
        return
        [
            (long)spec.Family,
            a.HeightClass is { } h ? (long)h : Ignore,
            a.Footprint is { } f ? (long)f : Ignore,
            a.Symmetry is { } s ? (long)s : Ignore,
            a.Roof is { } r ? (long)r : Ignore,
            quality,
        ];
    }
}
