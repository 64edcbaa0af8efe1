namespace WorkspaceApp.Features.Account;

/// <summary>Account security settings ("Identity" section).</summary>
public sealed class AccountOptions
{
    public const string Section = "Identity";

    /// <summary>When true, nobody signs in before confirming their email; by default new users use the app at once.</summary>
    public bool RequireConfirmedEmail { get; set; }
}
