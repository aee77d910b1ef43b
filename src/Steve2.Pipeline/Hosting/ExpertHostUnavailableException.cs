namespace Steve2.Pipeline.Hosting;

/// <summary>No expert host could be reached or started; the message says what to do.</summary>
public sealed class ExpertHostUnavailableException : Exception
{
    public ExpertHostUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
