//! An operation context: starts an operation on enter, ends it once on exit
//! with its duration (seconds, monotonic clock) and success or failure.

use crate::prelude::*;

use core::cell::{Cell, RefCell};

use super::emitter::{EmitOptions, Emitter, EventType, Outcome, Progress};
use super::error::{concat, Error, Result};
use super::host::{Field, Host, Text};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    New,
    Entered,
    Exited,
}

pub struct OperationContext<H: Host> {
    emitter: Emitter<H>,
    name: Text<H>,
    data: RefCell<Option<H::Value>>,
    phase: Cell<Phase>,
    correlation_id: RefCell<Option<Text<H>>>,
    started_s: Cell<f64>,
}

impl<H: Host> OperationContext<H> {
    pub fn new(emitter: Emitter<H>, name: Text<H>, data: Option<H::Value>) -> Self {
        OperationContext {
            emitter,
            name,
            data: RefCell::new(data),
            phase: Cell::new(Phase::New),
            correlation_id: RefCell::new(None),
            started_s: Cell::new(0.0),
        }
    }

    /// A context whose operation has ended, with the id it ran under: what
    /// an exited context still does (emit, update, refuse a second enter),
    /// rebuilt by a host that released the original when it ended.
    pub fn ended(emitter: Emitter<H>, name: Text<H>, correlation_id: Text<H>) -> Self {
        let context = Self::new(emitter, name, None);
        context.phase.set(Phase::Exited);
        *context.correlation_id.borrow_mut() = Some(correlation_id);
        context
    }

    pub fn name(&self) -> &Text<H> {
        &self.name
    }
    pub fn emitter(&self) -> &Emitter<H> {
        &self.emitter
    }
    pub fn correlation_id(&self) -> Option<Text<H>> {
        self.correlation_id.borrow().clone()
    }
    pub fn is_exited(&self) -> bool {
        self.phase.get() == Phase::Exited
    }

    /// Starts the operation. A second enter is refused.
    pub fn enter(&self) -> Result<Vec<H::Pending>> {
        if self.phase.get() != Phase::New {
            return Err(Error::state(concat(&["operation \"", &self.name.text, "\" was already entered"])));
        }
        self.phase.set(Phase::Entered);
        self.started_s.set(H::monotonic_s());
        let data = self.data.borrow_mut().take();
        // Known before the start event goes out: its handlers may use the context.
        let id = Emitter::<H>::new_operation_id();
        *self.correlation_id.borrow_mut() = Some(id.clone());
        Ok(self.emitter.begin_operation(&id, &self.name, data))
    }

    /// Ends the operation: success when `error` is None, else failure with
    /// that message. Refused before enter; ignored after the first exit.
    pub fn exit(&self, error: Option<Text<H>>) -> Result<Vec<H::Pending>> {
        match self.phase.get() {
            Phase::New => {
                return Err(Error::state(concat(&[
                    "operation \"",
                    &self.name.text,
                    "\" was exited before it was entered",
                ])))
            }
            Phase::Exited => return Ok(Vec::new()),
            Phase::Entered => {}
        }
        self.phase.set(Phase::Exited);
        let duration = (H::monotonic_s() - self.started_s.get()).max(0.0);
        let id = self.entered_id()?;
        let outcome = Outcome {
            success: error.is_none(),
            result: Some(H::object(vec![("duration", Field::Num(duration))], None)),
            error,
        };
        Ok(self.emitter.end_operation(&id, &self.name, outcome))
    }

    /// A progress event with this operation's id.
    pub fn update(&self, progress: Progress<H>) -> Result<Vec<H::Pending>> {
        let id = self.entered_id()?;
        Ok(self.emitter.update_operation(&id, &self.name, progress))
    }

    /// An event carrying this operation's id (unless the options name another).
    pub fn emit(
        &self,
        event_type: &EventType<H>,
        data: Option<H::Value>,
        mut options: EmitOptions<H>,
    ) -> Result<Vec<H::Pending>> {
        let id = self.entered_id()?;
        options.correlation_id = options.correlation_id.or(Some(id));
        Ok(self.emitter.emit(event_type, data, options))
    }

    fn entered_id(&self) -> Result<Text<H>> {
        match self.correlation_id() {
            Some(id) if self.phase.get() != Phase::New => Ok(id),
            _ => Err(Error::state(concat(&["operation \"", &self.name.text, "\" has not been entered"]))),
        }
    }
}
