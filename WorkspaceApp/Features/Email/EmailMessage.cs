namespace WorkspaceApp.Features.Email;

/// <summary>One message to one recipient, with a plain-text and an HTML body (mail clients pick the one they show).</summary>
public sealed record EmailMessage(string To, string Subject, string TextBody, string HtmlBody);
