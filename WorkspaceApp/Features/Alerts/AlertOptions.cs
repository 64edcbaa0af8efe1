using System.ComponentModel.DataAnnotations;

namespace WorkspaceApp.Features.Alerts;

/// <summary>Alerts:* settings: how often every watched workspace is checked, and how long auto top-up waits after a failure.</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>
    /// Balance changes on this instance are checked at once; the sweep catches the rest (changes made while the
    /// app was down, or on another instance whose notification was missed).
    /// </summary>
    [Range(1, 3600, ErrorMessage = "Alerts:SweepSeconds must be from 1 to 3600 (seconds between two sweeps).")]
    public int SweepSeconds { get; set; } = 60;

    /// <summary>After a declined top-up, the next attempt waits this long (so a bad card is not charged in a loop).</summary>
    [Range(0, 1440, ErrorMessage = "Alerts:TopUpRetryMinutes must be from 0 to 1440 (minutes to wait after a failed top-up).")]
    public int TopUpRetryMinutes { get; set; } = 60;
}
