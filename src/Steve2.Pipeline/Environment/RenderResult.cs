namespace Steve2.Pipeline.Environment;

/// <summary>What one render from an eye produced.</summary>
/// <param name="Image">The egocentric RGB image.</param>
/// <param name="HitBlocks">Every distinct block a pixel ray hit, nearest first (uncapped).</param>
/// <param name="Entities">Entities a ray hit or whose centre is in the view frustum with a clear line of sight.</param>
public sealed record RenderResult(RgbImage Image, IReadOnlyList<SeenBlock> HitBlocks, IReadOnlyList<SeenEntity> Entities);
