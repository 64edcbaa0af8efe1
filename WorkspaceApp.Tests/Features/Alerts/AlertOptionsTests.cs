using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Alerts;

/// <summary>A bad Alerts:* setting stops the app at start, naming the setting.</summary>
public sealed class AlertOptionsTests
{
    [Theory]
    [InlineData("Alerts:SweepSeconds", "0")]
    [InlineData("Alerts:SweepSeconds", "86400")]
    [InlineData("Alerts:TopUpRetryMinutes", "-1")]
    public void A_bad_value_stops_the_app_with_the_settings_name(string setting, string value)
    {
        using var app = new AppFactory().With(setting, value);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(setting, error.ToString(), StringComparison.Ordinal);
    }
}
