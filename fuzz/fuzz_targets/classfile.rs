//! Class-file reader and bytecode evaluator on arbitrary bytes: every accessor the audit uses.
#![no_main]

use cargo_flink_connector::classfile::bytecode::instructions;
use cargo_flink_connector::classfile::ClassFile;
use cargo_flink_connector::inspect::eval::{evaluate, method_result, Statics, Value};
use libfuzzer_sys::fuzz_target;

struct NoStatics;

impl Statics for NoStatics {
    fn static_field(&mut self, owner: &str, name: &str, _descriptor: &str) -> Value {
        Value::Static { owner: owner.into(), name: name.into() }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(class) = ClassFile::parse(data) else { return };
    let _ = class.pool.class_refs().count();
    let _ = class.pool.member_refs().count();
    let _ = class.pool.strings().count();
    let _ = class.has_public_no_arg_constructor();
    for field in &class.fields {
        let _ = class.constant_value(field);
    }
    for method in &class.methods {
        if let Ok(Some(code)) = class.code(method) {
            let _ = instructions(code.bytecode).count();
        }
        let _ = evaluate(&class, method, &mut NoStatics);
        let _ = method_result(&class, method, Some(&class.name), &mut NoStatics);
    }
    for i in 0..4 {
        let _ = class.bootstrap_method(i);
    }
});
