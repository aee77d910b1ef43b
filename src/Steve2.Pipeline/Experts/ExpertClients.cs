namespace Steve2.Pipeline.Experts;

/// <summary>The teacher's gRPC clients of the two experts, over one channel. (Skeleton: filled by the teacher branch.)</summary>
public sealed class ExpertClients
{
}
