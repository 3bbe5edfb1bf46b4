using System.Text.Json.Nodes;

namespace RomanaAws.KubeSim;

/// <summary>An API error, answered as a <c>Status</c> object with the real server's code, reason and message.</summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public KubeApiException()
        : this(500, "InternalError", "internal error")
    {
    }

    public KubeApiException(string message)
        : this(500, "InternalError", message)
    {
    }

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 500;
        Reason = "InternalError";
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject? Details { get; }

    public static KubeApiException NotFound(KubeResource resource, string name) =>
        new(404, "NotFound", $"{resource.QualifiedPlural} \"{name}\" not found", Detail(resource, name));

    public static KubeApiException NamespaceNotFound(string name) =>
        new(404, "NotFound", $"namespaces \"{name}\" not found", Detail(KubeResource.Namespaces, name));

    public static KubeApiException AlreadyExists(KubeResource resource, string name) =>
        new(409, "AlreadyExists", $"{resource.QualifiedPlural} \"{name}\" already exists", Detail(resource, name));

    public static KubeApiException Conflict(KubeResource resource, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource.QualifiedPlural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", Detail(resource, name));

    public static KubeApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static KubeApiException Invalid(KubeResource resource, string name, string field, string message)
    {
        var details = new JsonObject
        {
            ["name"] = name,
            ["group"] = resource.Group,
            ["kind"] = resource.Kind,
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = message, ["field"] = field }),
        };
        var kind = resource.Group.Length == 0 ? resource.Kind : $"{resource.Kind}.{resource.Group}";
        return new(422, "Invalid", $"{kind} \"{name}\" is invalid: {field}: {message}", details);
    }

    /// <summary>The <c>Status</c> body (also the object of a watch ERROR event).</summary>
    public JsonObject ToStatus() => Status(Code, Reason, Message, Details);

    public static JsonObject Status(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (details is not null)
        {
            status["details"] = details.DeepClone();
        }

        return status;
    }

    private static JsonObject Detail(KubeResource resource, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (resource.Group.Length > 0)
        {
            details["group"] = resource.Group;
        }

        details["kind"] = resource.Plural;
        return details;
    }
}
