// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The physical schema of one 'redis' table, as the connector's runtime classes see it:
 * field names and types, the primary key, and the table's name. Built from the table's
 * {@link ResolvedSchema}; serializable, so it travels with sources, sinks and lookup functions.
 */
@Internal
public final class RedisSchema implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String tableName;
    private final RowType rowType;
    private final int[] primaryKey;

    private transient RowData.FieldGetter[] fieldGetters;

    public RedisSchema(String tableName, RowType rowType, int[] primaryKey) {
        this.tableName = tableName;
        this.rowType = rowType;
        this.primaryKey = primaryKey.clone();
        for (int index : primaryKey) {
            if (index < 0 || index >= rowType.getFieldCount()) {
                throw new IllegalArgumentException("Primary key index " + index + " is out of range");
            }
        }
    }

    /** The physical columns and primary key of the table a factory is creating a source/sink for. */
    public static RedisSchema from(DynamicTableFactory.Context context) {
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        RowType rowType = (RowType) schema.toPhysicalRowDataType().getLogicalType();
        return new RedisSchema(
                context.getObjectIdentifier().asSummaryString(),
                rowType,
                context.getPrimaryKeyIndexes());
    }

    /** The table's full name, {@code catalog.database.table}, for messages. */
    public String tableName() {
        return tableName;
    }

    public RowType rowType() {
        return rowType;
    }

    public int fieldCount() {
        return rowType.getFieldCount();
    }

    public List<String> fieldNames() {
        return Collections.unmodifiableList(rowType.getFieldNames());
    }

    public String fieldName(int index) {
        return rowType.getFieldNames().get(index);
    }

    public List<LogicalType> fieldTypes() {
        return Collections.unmodifiableList(rowType.getChildren());
    }

    public LogicalType fieldType(int index) {
        return rowType.getTypeAt(index);
    }

    public int fieldIndex(String name) {
        return rowType.getFieldIndex(name);
    }

    public boolean hasPrimaryKey() {
        return primaryKey.length > 0;
    }

    /** Indexes of the primary key columns; empty when the table declares none. */
    public int[] primaryKey() {
        return primaryKey.clone();
    }

    /** The columns that identify a row: the primary key, or the first column when there is none. */
    public int[] keyFields() {
        return primaryKey.length > 0 ? primaryKey.clone() : new int[] {0};
    }

    /** The value of field {@code index} of {@code row} (internal data structure, may be null). */
    public Object getField(RowData row, int index) {
        return getters()[index].getFieldOrNull(row);
    }

    /** The values of the given fields of {@code row}, in the given order. */
    public Object[] getFields(RowData row, int[] indexes) {
        Object[] values = new Object[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            values[i] = getField(row, indexes[i]);
        }
        return values;
    }

    /**
     * A deep copy of {@code row} (same {@link org.apache.flink.types.RowKind}) that stays valid
     * when Flink reuses the row object or its memory for the next record.
     */
    public GenericRowData copy(RowData row) {
        GenericRowData copy = new GenericRowData(row.getRowKind(), fieldCount());
        for (int i = 0; i < fieldCount(); i++) {
            copy.setField(i, copyValue(getField(row, i), fieldType(i)));
        }
        return copy;
    }

    /**
     * The bytes of {@code row}'s field values as a client sends them, for the sink's
     * {@code numBytesSend}/{@code numBytesOut} metric: UTF-8 strings and binaries by their length,
     * numbers and times by their width, decimals by their unscaled bytes, nested values summed.
     */
    public long sizeInBytes(RowData row) {
        long size = 0;
        for (int i = 0; i < fieldCount(); i++) {
            size += sizeOf(getField(row, i), fieldType(i));
        }
        return size;
    }

    private static long sizeOf(Object value, LogicalType type) {
        if (value == null) {
            return 0;
        } else if (value instanceof StringData) {
            return ((StringData) value).toBytes().length;
        } else if (value instanceof byte[]) {
            return ((byte[]) value).length;
        } else if (value instanceof DecimalData) {
            return ((DecimalData) value).toUnscaledBytes().length;
        } else if (value instanceof Boolean || value instanceof Byte) {
            return 1;
        } else if (value instanceof Short) {
            return 2;
        } else if (value instanceof Integer || value instanceof Float) {
            return 4;
        } else if (value instanceof RowData) {
            List<LogicalType> fields = type.getChildren();
            long size = 0;
            for (int i = 0; i < fields.size(); i++) {
                size += sizeOf(RowData.createFieldGetter(fields.get(i), i).getFieldOrNull((RowData) value), fields.get(i));
            }
            return size;
        } else if (value instanceof ArrayData) {
            return sizeOfElements((ArrayData) value, type.getChildren().get(0));
        } else if (value instanceof MapData) {
            List<LogicalType> children = type.getChildren();
            LogicalType valueType = children.size() > 1 ? children.get(1) : new IntType(false);
            MapData map = (MapData) value;
            return sizeOfElements(map.keyArray(), children.get(0)) + sizeOfElements(map.valueArray(), valueType);
        }
        return 8; // Long, Double, TimestampData (epoch millis)
    }

    private static long sizeOfElements(ArrayData array, LogicalType elementType) {
        ArrayData.ElementGetter getter = ArrayData.createElementGetter(elementType);
        long size = 0;
        for (int i = 0; i < array.size(); i++) {
            size += sizeOf(getter.getElementOrNull(array, i), elementType);
        }
        return size;
    }

    /**
     * Copies what may point into memory Flink reuses: strings, binaries, decimals and nested rows,
     * arrays and maps (by their logical type). Only Flink's public data API is used; the binary
     * classes (BinaryStringData, BinaryRowData …) are internal and change between lines.
     */
    private static Object copyValue(Object value, LogicalType type) {
        if (value instanceof StringData) {
            byte[] utf8 = ((StringData) value).toBytes(); // may be the reused buffer itself
            return StringData.fromBytes(Arrays.copyOf(utf8, utf8.length));
        } else if (value instanceof byte[]) {
            return ((byte[]) value).clone();
        } else if (value instanceof DecimalData) {
            return ((DecimalData) value).copy();
        } else if (value instanceof RowData) {
            List<LogicalType> fields = type.getChildren();
            RowData row = (RowData) value;
            GenericRowData copy = new GenericRowData(row.getRowKind(), fields.size());
            for (int i = 0; i < fields.size(); i++) {
                Object field = RowData.createFieldGetter(fields.get(i), i).getFieldOrNull(row);
                copy.setField(i, copyValue(field, fields.get(i)));
            }
            return copy;
        } else if (value instanceof ArrayData) {
            return new GenericArrayData(copyElements((ArrayData) value, type.getChildren().get(0)));
        } else if (value instanceof MapData) {
            // MAP<K, V> has two children; MULTISET<E> is a map from E to its INT count
            List<LogicalType> children = type.getChildren();
            LogicalType valueType = children.size() > 1 ? children.get(1) : new IntType(false);
            MapData map = (MapData) value;
            Object[] keys = copyElements(map.keyArray(), children.get(0));
            Object[] values = copyElements(map.valueArray(), valueType);
            Map<Object, Object> copy = new LinkedHashMap<>();
            for (int i = 0; i < keys.length; i++) {
                copy.put(keys[i], values[i]);
            }
            return new GenericMapData(copy);
        }
        return value;
    }

    private static Object[] copyElements(ArrayData array, LogicalType elementType) {
        ArrayData.ElementGetter getter = ArrayData.createElementGetter(elementType);
        Object[] elements = new Object[array.size()];
        for (int i = 0; i < elements.length; i++) {
            elements[i] = copyValue(getter.getElementOrNull(array, i), elementType);
        }
        return elements;
    }

    private RowData.FieldGetter[] getters() {
        if (fieldGetters == null) {
            RowData.FieldGetter[] getters = new RowData.FieldGetter[fieldCount()];
            for (int i = 0; i < getters.length; i++) {
                getters[i] = RowData.createFieldGetter(fieldType(i), i);
            }
            fieldGetters = getters;
        }
        return fieldGetters;
    }

    @Override
    public String toString() {
        return tableName + rowType.asSummaryString() + " key " + Arrays.toString(keyFields());
    }
}
