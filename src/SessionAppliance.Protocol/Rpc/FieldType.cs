namespace SessionAppliance.Protocol.Rpc;

/// <summary>JSON types a parameter may have, named as the reference names them in its errors (spec §3.1).</summary>
public enum FieldType
{
    Bool,
    String,

    /// <summary>Non-negative integer.</summary>
    Unsigned,

    /// <summary>Any integer, negative too; no floats.</summary>
    Integer,

    /// <summary>Integer namespace.</summary>
    Namespace,

    /// <summary>Integer namespace or the string "all".</summary>
    NamespaceOrAll,

    /// <summary>Non-negative integer in milliseconds.</summary>
    Timestamp,

    /// <summary>A list of strings, or one string.</summary>
    StringArray,

    /// <summary>A list of non-negative integers, or one.</summary>
    TimestampArray,

    /// <summary>A list of integers, or one.</summary>
    IntegerArray,

    /// <summary>Store's timestamp: an integer or a decimal string.</summary>
    IntegerOrString,

    /// <summary>Store's ttl: a non-negative integer or a decimal string.</summary>
    UnsignedOrString,
}
