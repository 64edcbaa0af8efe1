namespace WorkspaceApp.Features.Api.Metering;

/// <summary>The meter could not reach its database: the request is answered 503, charged nothing, and may be retried.</summary>
public sealed class MeterUnavailableException : Exception
{
    public MeterUnavailableException() : base("The credit meter cannot reach the database.") { }
    public MeterUnavailableException(string message) : base(message) { }
    public MeterUnavailableException(string message, Exception inner) : base(message, inner) { }
    public MeterUnavailableException(Exception inner) : base("The credit meter cannot reach the database.", inner) { }
}
