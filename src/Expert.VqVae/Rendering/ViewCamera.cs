using System.Numerics;

namespace Expert.VqVae.Rendering;

/// <summary>The six directions a voxel face can point to (its outward normal).</summary>
internal enum FaceDirection : byte
{
    PosX,
    NegX,
    PosY,
    NegY,
    PosZ,
    NegZ,
}

/// <summary>One face of one voxel: the face of cell (X, Y, Z) whose outward normal is <see cref="Direction"/>.</summary>
internal readonly record struct VoxelFace(int X, int Y, int Z, FaceDirection Direction);

/// <summary>
/// The orthographic camera of one <see cref="RenderView"/>: its right, up and forward (into the scene)
/// directions in grid coordinates, the integer forward direction used for painter's-order keys, and the
/// face directions that point at the camera. See RENDERS.md for the frames.
/// </summary>
internal sealed class ViewCamera
{
    private static readonly ViewCamera[] Cameras = Build();

    private ViewCamera(RenderView view, Vector3 right, Vector3 up, (int X, int Y, int Z) forward)
    {
        View = view;
        Right = Vector3.Normalize(right);
        Up = Vector3.Normalize(up);
        ForwardSign = forward;
        Forward = Vector3.Normalize(new Vector3(forward.X, forward.Y, forward.Z));
        var visible = new List<FaceDirection>();
        foreach (FaceDirection d in Enum.GetValues<FaceDirection>())
            if (Vector3.Dot(Normal(d), Forward) < -1e-4f) visible.Add(d);
        VisibleDirections = [.. visible];
        IsAxisAligned = Math.Abs(forward.X) + Math.Abs(forward.Y) + Math.Abs(forward.Z) == 1;
    }

    public RenderView View { get; }

    /// <summary>Grid direction that points to image right.</summary>
    public Vector3 Right { get; }

    /// <summary>Grid direction that points to image up.</summary>
    public Vector3 Up { get; }

    /// <summary>Viewing direction (from the camera into the scene), unit length.</summary>
    public Vector3 Forward { get; }

    /// <summary>Viewing direction with components in {-1, 0, 1}.</summary>
    public (int X, int Y, int Z) ForwardSign { get; }

    /// <summary>Face directions whose normal points at the camera; only these can be seen.</summary>
    public FaceDirection[] VisibleDirections { get; }

    /// <summary>True for front, back, side and top: one face direction is seen, head-on.</summary>
    public bool IsAxisAligned { get; }

    public static ViewCamera For(RenderView view) =>
        (uint)view < (uint)Cameras.Length ? Cameras[(int)view] : throw new ArgumentOutOfRangeException(nameof(view), view, "Unknown view.");

    /// <summary>
    /// Painter's-order key of a cell: larger is nearer the camera. Keys run 0..<see cref="KeyRange"/>.
    /// For the isometric views a cell can only hide cells of a smaller key (two lattice cubes whose
    /// projections overlap differ in every non-zero axis with the same sign), so drawing in
    /// ascending key order is exact; in the axis-aligned views the key is the depth itself.
    /// </summary>
    public int Key(int x, int y, int z, int sizeX, int sizeY, int sizeZ) =>
        -(ForwardSign.X * x + ForwardSign.Y * y + ForwardSign.Z * z) + KeyOffset(sizeX, sizeY, sizeZ);

    public int KeyOffset(int sizeX, int sizeY, int sizeZ) =>
        Math.Max(0, ForwardSign.X) * (sizeX - 1) + Math.Max(0, ForwardSign.Y) * (sizeY - 1) + Math.Max(0, ForwardSign.Z) * (sizeZ - 1);

    public int KeyRange(int sizeX, int sizeY, int sizeZ) =>
        Math.Abs(ForwardSign.X) * (sizeX - 1) + Math.Abs(ForwardSign.Y) * (sizeY - 1) + Math.Abs(ForwardSign.Z) * (sizeZ - 1);

    public static Vector3 Normal(FaceDirection d) => d switch
    {
        FaceDirection.PosX => Vector3.UnitX,
        FaceDirection.NegX => -Vector3.UnitX,
        FaceDirection.PosY => Vector3.UnitY,
        FaceDirection.NegY => -Vector3.UnitY,
        FaceDirection.PosZ => Vector3.UnitZ,
        _ => -Vector3.UnitZ,
    };

    private static ViewCamera[] Build()
    {
        var all = new ViewCamera[Enum.GetValues<RenderView>().Length];
        // right, up, forward; right = forward x up keeps every view right-handed (no mirror images).
        all[(int)RenderView.Front] = new(RenderView.Front, Vector3.UnitX, Vector3.UnitY, (0, 0, -1));
        all[(int)RenderView.Back] = new(RenderView.Back, -Vector3.UnitX, Vector3.UnitY, (0, 0, 1));
        all[(int)RenderView.Side] = new(RenderView.Side, -Vector3.UnitZ, Vector3.UnitY, (-1, 0, 0));
        all[(int)RenderView.Top] = new(RenderView.Top, Vector3.UnitX, -Vector3.UnitZ, (0, -1, 0));
        all[(int)RenderView.Isometric] = new(RenderView.Isometric, new Vector3(1, 0, -1), new Vector3(-1, 2, -1), (-1, -1, -1));
        all[(int)RenderView.IsometricBack] = new(RenderView.IsometricBack, new Vector3(-1, 0, 1), new Vector3(1, 2, 1), (1, -1, 1));
        return all;
    }
}
