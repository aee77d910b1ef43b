using Expert.Host.Options;
using Expert.VqVae.Inference;
using Expert.VqVae.Rendering;
using Google.Protobuf.Collections;
using Microsoft.Extensions.Options;
using Steve2.Expert.V1;
using MaterialGrid = Expert.VqVae.Voxels.MaterialGrid;
using VoxelGrid = Expert.VqVae.Voxels.OccupancyGrid;

namespace Expert.Host.Grpc;

/// <summary>A generation request that passed validation, in the libraries' types.</summary>
internal sealed record GenerateCommand(
    GenerationRequest Request,
    IReadOnlyList<RenderView> Views,
    RenderOptions Render,
    bool RenderAllSamples,
    bool IncludeBuildOrder);

/// <summary>A render request that passed validation.</summary>
internal sealed record RenderCommand(VoxelGrid Grid, IReadOnlyList<RenderView> Views, RenderOptions Render, MaterialGrid? Blocks = null);

/// <summary>
/// Turns wire requests into commands, or throws INVALID_ARGUMENT listing every bad field
/// (see <see cref="FieldViolations"/>). One line per field.
/// </summary>
internal sealed class RequestValidator
{
    public const int MaxDescriptionLength = 1000;

    private readonly RenderingOptions _rendering;
    private readonly IReadOnlyList<RenderView> _defaultViews;
    private readonly string _knownViews = string.Join(", ", RenderViews.All.Select(v => v.ToName()));

    public RequestValidator(IOptions<RenderingOptions> rendering)
    {
        _rendering = rendering.Value;
        _defaultViews = _rendering.ParseDefaultViews();
    }

    public IReadOnlyList<RenderView> DefaultViews => _defaultViews;

    public GenerateCommand Validate(GenerateOccupancyRequest request)
    {
        var violations = new FieldViolations();
        string description = request.Description;
        int length = description.EnumerateRunes().Count();
        violations.Require(!string.IsNullOrWhiteSpace(description), "description", "must not be empty or only whitespace.");
        violations.Require(length <= MaxDescriptionLength, "description", $"has {length} characters; at most {MaxDescriptionLength} are allowed.");

        var sampling = new SamplingOptions
        {
            Seed = request.Seed,
            Temperature = request.HasTemperature ? request.Temperature : 1.0f,
            TopK = Clamp(request.TopK),
            Samples = request.Samples == 0 ? 1 : Clamp(request.Samples),
            DecodeSteps = Clamp(request.DecodeSteps),
            Guidance = request.HasGuidance ? request.Guidance : null,
        };
        foreach ((string field, string message) in sampling.Validate())
            violations.Add(field, message);

        IReadOnlyList<RenderView> views = ReadViews(request.Views, "views", violations);
        RenderOptions render = ReadRenderSize(request.RenderSize, "render_size", violations);
        violations.ThrowIfAny();
        return new GenerateCommand(
            new GenerationRequest(description, sampling),
            request.SkipRender ? [] : views,
            render,
            request.RenderAllSamples,
            request.IncludeBuildOrder);
    }

    public RenderCommand Validate(RenderOccupancyRequest request)
    {
        var violations = new FieldViolations();
        VoxelGrid? grid = OccupancyGridMapping.ReadGrid(request.Grid, "grid", violations);
        IReadOnlyList<RenderView> views = ReadViews(request.Views, "views", violations);
        RenderOptions render = ReadRenderSize(request.RenderSize, "render_size", violations);
        MaterialGrid? blocks = grid is null ? null : OccupancyGridMapping.ReadBlocks(request.Blocks, grid, "blocks", violations);
        violations.ThrowIfAny();
        return new RenderCommand(grid!, views, render, blocks);
    }

    public (VoxelGrid Grid, MaterialGrid? Blocks) Validate(GetBuildOrderRequest request)
    {
        var violations = new FieldViolations();
        VoxelGrid? grid = OccupancyGridMapping.ReadGrid(request.Grid, "grid", violations);
        MaterialGrid? blocks = grid is null ? null : OccupancyGridMapping.ReadBlocks(request.Blocks, grid, "blocks", violations);
        violations.ThrowIfAny();
        return (grid!, blocks);
    }

    private IReadOnlyList<RenderView> ReadViews(RepeatedField<string> names, string field, FieldViolations violations)
    {
        if (names.Count == 0) return _defaultViews;
        var views = new List<RenderView>(names.Count);
        foreach (string name in names)
        {
            if (!RenderViews.TryParse(name, out RenderView view))
                violations.Add(field, $"names '{ClientStatus.Echo(name)}', which is not a view; use {_knownViews}.");
            else if (views.Contains(view))
                violations.Add(field, $"names '{ClientStatus.Echo(name)}' twice; list each view once.");
            else
                views.Add(view);
        }
        return views;
    }

    private RenderOptions ReadRenderSize(uint size, string field, FieldViolations violations)
    {
        int pixels = size == 0 ? _rendering.DefaultSize : Clamp(size);
        violations.Require(pixels >= _rendering.MinSize && pixels <= _rendering.MaxSize, field,
            $"is {size}; use {_rendering.MinSize}..{_rendering.MaxSize} pixels, or 0 for the default ({_rendering.DefaultSize}).");
        return new RenderOptions { Width = pixels, Height = pixels, Supersample = _rendering.Supersample };
    }

    private static int Clamp(uint value) => (int)Math.Min(value, int.MaxValue);
}
