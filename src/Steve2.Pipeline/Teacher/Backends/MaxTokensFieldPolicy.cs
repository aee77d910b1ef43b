using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;

namespace Steve2.Pipeline.Teacher.Backends;

/// <summary>
/// Sends the answer's token limit as <c>max_tokens</c> instead of <c>max_completion_tokens</c> (which the OpenAI SDK
/// writes): the field every OpenAI-compatible local server reads, while some (Ollama's /v1 as of 2026) silently
/// ignore <c>max_completion_tokens</c>. A pipeline policy of the chat client: it rewrites the request body, nothing else.
/// </summary>
internal sealed class MaxTokensFieldPolicy : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Rewrite(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Rewrite(message);
        await ProcessNextAsync(message, pipeline, currentIndex);
    }

    private static void Rewrite(PipelineMessage message)
    {
        if (message.Request.Content is not { } content) return;
        using var buffer = new MemoryStream();
        content.WriteTo(buffer);
        if (JsonNode.Parse(buffer.ToArray()) is not JsonObject body || !body.Remove("max_completion_tokens", out JsonNode? limit)) return;
        body["max_tokens"] = limit;
        message.Request.Content = BinaryContent.Create(BinaryData.FromString(body.ToJsonString()));
    }
}
