namespace Expert.VqVae.Features;

/// <summary>
/// The shape of <see cref="BuildingFeatureNet"/>: input renders, convolution widths, the feature size and
/// the label heads. Stored in every feature checkpoint's header (the resolved config beside the weights).
/// </summary>
/// <param name="Views">Views stacked as input channels, wire names in order (RENDERS.md).</param>
/// <param name="ImageSize">Edge of each square render, in pixels (a multiple of 2^<c>Channels.Length</c>).</param>
/// <param name="Channels">Output channels of the stride-2 3x3 convolutions, in order.</param>
/// <param name="FeatureSize">Size of the penultimate layer: the feature the Fréchet distance compares.</param>
/// <param name="HeadClasses">Classes of each label head, in <see cref="FeatureLabels.Heads"/> order.</param>
public sealed record FeatureNetConfig(
    IReadOnlyList<string> Views,
    int ImageSize,
    IReadOnlyList<int> Channels,
    int FeatureSize,
    IReadOnlyList<int> HeadClasses)
{
    /// <summary>The shipped shape: front, side, top, isometric at 64 x 64; 32-64-96-128 channels; 64 features.</summary>
    public static FeatureNetConfig Default { get; } = new(
        FeatureRenders.ViewNames, FeatureRenders.ImageSize, [32, 64, 96, 128], 64, FeatureLabels.HeadClasses);

    /// <summary>Input channels: three (R, G, B) per view.</summary>
    public int InputChannels => 3 * Views.Count;

    /// <summary>Throws <see cref="ArgumentException"/> naming what to change.</summary>
    public FeatureNetConfig Validated()
    {
        if (Views.Count == 0) throw new ArgumentException("A feature net needs at least one view.", nameof(Views));
        if (Channels.Count == 0 || Channels.Any(c => c <= 0)) throw new ArgumentException("Channels must list at least one positive width.", nameof(Channels));
        if (ImageSize < 16 || ImageSize % (1 << Channels.Count) != 0)
            throw new ArgumentException($"ImageSize {ImageSize} must be at least 16 and a multiple of 2^{Channels.Count}.", nameof(ImageSize));
        if (FeatureSize <= 0) throw new ArgumentException("FeatureSize must be positive.", nameof(FeatureSize));
        if (HeadClasses.Count == 0 || HeadClasses.Any(c => c < 2)) throw new ArgumentException("Every head needs at least two classes.", nameof(HeadClasses));
        return this;
    }

    // Records compare lists by reference: compare them by content, so a header read back equals the config.
    public bool Equals(FeatureNetConfig? other) =>
        other is not null && Views.SequenceEqual(other.Views) && ImageSize == other.ImageSize && Channels.SequenceEqual(other.Channels) &&
        FeatureSize == other.FeatureSize && HeadClasses.SequenceEqual(other.HeadClasses);

    public override int GetHashCode() => HashCode.Combine(string.Join(",", Views), ImageSize, string.Join(",", Channels), FeatureSize, string.Join(",", HeadClasses));
}
